using System.Text;

namespace Platform.Cli;

/// <summary>Reads a password: without echo at a terminal, or one line of standard input when it is redirected (scripts).</summary>
public static class Secrets
{
    public static string Ask(string prompt)
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine() ?? string.Empty;
        Console.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace && secret.Length > 0) secret.Length--;
            else if (!char.IsControl(key.KeyChar)) secret.Append(key.KeyChar);
        }
        Console.WriteLine();
        return secret.ToString();
    }

    /// <summary>One line of standard input (for <c>--…-stdin</c> options), without its line ending.</summary>
    public static string ReadLine() => Console.In.ReadLine() ?? string.Empty;
}
