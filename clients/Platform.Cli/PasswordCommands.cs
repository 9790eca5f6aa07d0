using System.CommandLine;
using Platform.Client.Identity.Models;

namespace Platform.Cli;

/// <summary><c>password change</c>: the signed-in person's new password (POST /api/identity/password/change).</summary>
public static class PasswordCommands
{
    public static Command Create()
    {
        var currentStdin = new Option<bool>("--current-password-stdin") { Description = "Read the current password from a line of standard input (scripts)." };
        var newStdin = new Option<bool>("--new-password-stdin")
        {
            Description = "Read the new password from a line of standard input, after the current one (scripts).",
        };
        var noLogin = new Option<bool>("--no-login") { Description = "Do not sign in again with the new password (the old session ends either way)." };
        var change = new Command("change",
            "Change your password. Asks for the current and the new one (without echo), or reads them from standard input. The platform "
            + "ends your sessions when the password changes, so the CLI signs in again with the new one unless --no-login.")
        { currentStdin, newStdin, noLogin };
        change.SetAction((parse, ct) => Cli.Run(parse, session =>
            Change(session, parse.GetValue(currentStdin), parse.GetValue(newStdin), !parse.GetValue(noLogin), ct)));
        return new Command("password", "Your password.") { change };
    }

    private static async Task Change(GatewaySession session, bool currentFromStdin, bool newFromStdin, bool signInAgain, CancellationToken ct)
    {
        var username = session.SignedInAs
            ?? throw new CliException($"Not signed in to {session.Gateway}. Run: {session.Command} login --username <email>", "not_signed_in", ExitCodes.NotSignedIn);
        var current = currentFromStdin ? Secrets.ReadLine() : Secrets.Ask("Current password: ");
        var replacement = newFromStdin ? Secrets.ReadLine() : AskNew();
        if (current.Length == 0 || replacement.Length == 0)
        {
            throw new CliException("Give the current and the new password.", "password_required", ExitCodes.Usage);
        }

        await session.Api.Identity.Api.Identity.Password.Change.PostAsync(new Change { CurrentPassword = current, NewPassword = replacement }, cancellationToken: ct);
        session.Logout(); // the platform revoked the tokens: the cached ones would only fail
        Console.WriteLine($"Password changed for {username}.");
        if (!signInAgain)
        {
            Console.WriteLine($"Your sessions have ended. Sign in again: {session.Command} login --username {username}");
            return;
        }
        try
        {
            await session.LoginAsync(username, replacement, ct);
        }
        catch (CliException exception)
        {
            throw new CliException($"The password was changed, but signing in again failed: {exception.Message}\n"
                + $"Sign in again: {session.Command} login --username {username}", exception.Code, ExitCodes.NotSignedIn);
        }
        Console.WriteLine($"Signed in again to {session.Gateway} as {username} with the new password.");
    }

    private static string AskNew()
    {
        var replacement = Secrets.Ask("New password: ");
        if (Console.IsInputRedirected) return replacement;
        if (Secrets.Ask("New password again: ") != replacement)
        {
            throw new CliException("The two new passwords differ; nothing was changed.", "passwords_differ", ExitCodes.Usage);
        }
        return replacement;
    }
}
