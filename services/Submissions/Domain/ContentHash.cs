using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Submissions.Api.Domain;

/// <summary>
/// SHA-256 of a submission's content in a canonical text form, so the practice can prove what it sent
/// and a replayed Idempotency-Key can be told apart from a different body.
/// </summary>
public static class ContentHash
{
    public static string Of(string practiceOds, string serviceCode, string period, IEnumerable<SubmittedValue> values)
    {
        var canonical = new StringBuilder()
            .Append(practiceOds).Append('\n').Append(serviceCode).Append('\n').Append(period).Append('\n');
        foreach (var value in values.OrderBy(v => v.Indicator, StringComparer.Ordinal))
        {
            canonical.Append(value.Indicator).Append('=').Append(value.Value.ToString("0.############", CultureInfo.InvariantCulture)).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
