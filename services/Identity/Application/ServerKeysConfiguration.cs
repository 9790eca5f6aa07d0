using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Identity.Api.Application;

/// <summary>
/// Gives OpenIddict the persisted certificates. Runs the first time the server options are needed (the first
/// OpenID request), after the start-up migrations created the <c>server_keys</c> table.
/// </summary>
internal sealed class ServerKeysConfiguration(ServerKeyStore store) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var (signing, encryption) = store.LoadOrCreate();
        foreach (var certificate in signing)
        {
            options.SigningCredentials.Add(new SigningCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaSha256));
        }

        foreach (var certificate in encryption)
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(
                new X509SecurityKey(certificate), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }
}
