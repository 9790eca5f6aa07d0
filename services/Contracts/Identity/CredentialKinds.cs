namespace Platform.Contracts.Identity;

/// <summary>The kinds of credential that expire and are warned about.</summary>
public static class CredentialKinds
{
    /// <summary>A person's password.</summary>
    public const string Password = "password";

    /// <summary>A system client's secret (client credentials grant).</summary>
    public const string ClientSecret = "client-secret";
}
