using System.Globalization;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Identity.Api.Application;

/// <summary>
/// Refuses an access token whose <c>nbf</c> (not before) lies in the future. OpenIddict's own validation, which guards
/// this service's API, checks only the expiry; every other resource server (ServiceDefaults' JWT bearer) refuses such a
/// token, so Identity does too, with the same 30-second allowance for clock differences.
/// </summary>
public sealed class RejectTokensNotYetValid : IOpenIddictValidationHandler<ValidateTokenContext>
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<RejectTokensNotYetValid>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateExpirationDate.Descriptor.Order + 1)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        var notBefore = context.Principal?.FindFirst(Claims.NotBefore)?.Value;
        if (notBefore is not null && long.TryParse(notBefore, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(seconds) > context.Options.TimeProvider.GetUtcNow() + ClockSkew)
        {
            context.Reject(error: Errors.InvalidToken, description: "The access token is not valid yet.");
        }

        return ValueTask.CompletedTask;
    }
}
