namespace Identity.Api.Domain;

/// <summary>An X.509 certificate (PKCS#12) used by the token server to sign or encrypt tokens.</summary>
public sealed class ServerKey
{
    public Guid Id { get; init; }

    /// <summary><c>signing</c> or <c>encryption</c>.</summary>
    public required string Use { get; init; }

    public required byte[] Pkcs12 { get; init; }

    public DateTimeOffset NotBefore { get; init; }

    public DateTimeOffset NotAfter { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

public static class ServerKeyUses
{
    public const string Signing = "signing";
    public const string Encryption = "encryption";
}
