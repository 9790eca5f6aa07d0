using Identity.Api.Application;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ServiceDefaults;

namespace Identity.Api.Apis;

/// <summary>
/// The two links an email change sends: one to the new address, which makes it the sign-in name, and one to the old
/// address, which puts it back. Anonymous: whoever holds the link holds the mailbox.
/// </summary>
public static class EmailChangeApi
{
    public sealed record LinkToken(string? Token);

    public static RouteGroupBuilder MapEmailChangeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/identity/email-changes").WithTags("Me").AllowAnonymous();
        group.MapPost("/confirm", ConfirmAsync).ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(request: new LinkToken("the-token-from-the-email"));
        group.MapPost("/undo", UndoAsync).ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(request: new LinkToken("the-token-from-the-email"));
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmAsync(LinkToken body, AccountService accounts, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(body.Token) ? Missing() : Answer(await accounts.ConfirmEmailChangeAsync(body.Token, cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> UndoAsync(LinkToken body, AccountService accounts, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(body.Token) ? Missing() : Answer(await accounts.UndoEmailChangeAsync(body.Token, cancellationToken));

    private static ProblemHttpResult Missing() => Problems.Validation([new FieldError("token", "required", "token is required.")]);

    private static Results<NoContent, ProblemHttpResult> Answer(EmailChangeOutcome outcome) => outcome switch
    {
        EmailChangeOutcome.Done => TypedResults.NoContent(),
        EmailChangeOutcome.AddressTaken => Problems.Create(StatusCodes.Status409Conflict, "email_taken",
            "Another account signs in with this email address, so it cannot be used for this one."),
        _ => Problems.Create(StatusCodes.Status400BadRequest, "invalid_token",
            "The link is not valid: it may have been used already or have expired."),
    };
}
