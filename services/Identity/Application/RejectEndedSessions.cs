using OpenIddict.Abstractions;
using OpenIddict.Validation;
using Platform.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Identity.Api.Application;

/// <summary>
/// Refuses an access token issued before its holder's sessions were ended (<see cref="TokenRevocations"/>), as every
/// other resource server (ServiceDefaults' JWT bearer) does: Identity's own API, the practice-admin endpoints included.
/// </summary>
public sealed class RejectEndedSessions(TokenRevocations revocations) : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<RejectEndedSessions>()
            .SetOrder(RejectTokensNotYetValid.Descriptor.Order + 1)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.Principal is { } principal && revocations.IsRevoked(principal.GetClaim(Claims.Subject), principal.GetClaim(AuthenticationDefaults.Claims.Session),
            principal.GetCreationDate()))
        {
            context.Reject(error: Errors.InvalidToken, description: new SessionEndedException().Message);
        }

        return ValueTask.CompletedTask;
    }
}
