namespace Identity.Api.Domain;

/// <summary>Claims the platform adds to tokens besides the standard ones (<c>sub</c>, <c>role</c>, <c>email</c>, <c>name</c>).</summary>
public static class ClaimNames
{
    /// <summary>The practice's ODS code the token is scoped to.</summary>
    public const string Practice = "practice";

    /// <summary>The ICB (commissioning region) the token is scoped to.</summary>
    public const string Icb = "icb";

    /// <summary>Private to refresh tokens: the credential version they were issued for, so a password change ends them.</summary>
    public const string CredentialVersion = "cred_ver";
}
