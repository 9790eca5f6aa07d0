using Payments.Api.Domain;

namespace Payments.Domain.Tests;

public sealed class RemittanceReferenceTests
{
    [Fact]
    public void A_reference_starts_with_the_practice_and_fits_a_bank_reference_field()
    {
        var reference = RemittanceReference.For("A81001", Guid.CreateVersion7());
        Assert.StartsWith("A81001-", reference);
        Assert.True(reference.Length <= 18, reference);
        Assert.Matches("^A81001-[0-9A-HJKMNP-TV-Z]{10}$", reference);
    }

    [Fact]
    public void Ten_thousand_payments_get_ten_thousand_different_references()
    {
        var references = Enumerable.Range(0, 10_000).Select(_ => RemittanceReference.For("A81001", Guid.CreateVersion7())).ToHashSet();
        Assert.Equal(10_000, references.Count);
    }
}
