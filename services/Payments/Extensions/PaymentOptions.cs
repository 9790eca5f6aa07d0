using System.ComponentModel.DataAnnotations;

namespace Payments.Api.Extensions;

/// <summary>Settings of the simple per-item rule (section <c>Payments</c>).</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>Fee paid for each reported item, in GBP.</summary>
    [Range(typeof(decimal), "0.01", "10000")]
    public decimal FeePerItem { get; set; } = 10.06m;
}
