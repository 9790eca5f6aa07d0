namespace Payments.Api.Domain;

/// <summary>
/// The reference a practice matches on its bank statement: short enough for a BACS reference field
/// (18 characters), starting with the practice's ODS code, unique per payment.
/// </summary>
public static class RemittanceReference
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

    public static string For(string practiceOds, Guid paymentId)
    {
        var bytes = paymentId.ToByteArray();
        // The last 8 bytes of a version 7 GUID are random; 50 bits of them give 10 characters.
        var random = BitConverter.ToUInt64(bytes, 8) & ((1UL << 50) - 1);
        var code = new char[10];
        for (var i = code.Length - 1; i >= 0; i--)
        {
            code[i] = Alphabet[(int)(random & 31)];
            random >>= 5;
        }
        return $"{practiceOds}-{new string(code)}";
    }
}
