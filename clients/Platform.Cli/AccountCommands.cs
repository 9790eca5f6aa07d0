using System.CommandLine;

namespace Platform.Cli;

/// <summary><c>login</c>, <c>logout</c> and <c>whoami</c>.</summary>
public static class AccountCommands
{
    public static IEnumerable<Command> Create()
    {
        var username = new Option<string>("--username", "-u") { Description = "Your email address.", Required = true };
        var password = new Option<string?>("--password", "-p") { Description = "Your password (default: PLATFORM_PASSWORD, else asked)." };
        var login = new Command("login", "Sign in (password grant for client platform-cli); tokens are cached and refreshed.") { username, password };
        login.SetAction((parse, ct) => Cli.Run(parse, async session =>
        {
            var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("PLATFORM_PASSWORD") ?? Secrets.Ask("Password: ");
            var tokens = await session.LoginAsync(parse.GetValue(username)!, secret, ct);
            Console.WriteLine($"Signed in to {session.Gateway} as {tokens.Username}{ProfileNote(session)}.");
        }));

        var logout = new Command("logout", "Forget the cached tokens for this gateway and profile.");
        logout.SetAction((parse, _) => Cli.Run(parse, session =>
        {
            session.Logout();
            Console.WriteLine($"Signed out of {session.Gateway}{ProfileNote(session)}.");
            return Task.CompletedTask;
        }));

        var whoami = new Command("whoami", "Who you are signed in as, and when your password expires.");
        whoami.SetAction((parse, ct) => Cli.Run(parse, async session =>
        {
            var me = await session.Api.Identity.Api.Identity.Me.GetAsync(cancellationToken: ct);
            if (await Cli.PrintJson(parse, me) || me is null) return;
            Console.WriteLine($"{me.DisplayName} <{me.Email}>, {me.Role}"
                + (me.PracticeOds is { } ods ? $", practice {ods}" : "") + (me.Icb is { } icb ? $", ICB {icb}" : ""));
            if (me.PasswordDaysLeft is { } days)
            {
                Console.WriteLine($"Password expires in {days} days ({me.PasswordExpiresAt:yyyy-MM-dd HH:mm} UTC)."
                    + (me.PasswordExpiresSoon == true ? " Change it soon." : ""));
            }
        }));
        return [login, logout, whoami];
    }

    private static string ProfileNote(GatewaySession session) => session.Profile == TokenCache.DefaultProfile ? "" : $" (profile {session.Profile})";
}
