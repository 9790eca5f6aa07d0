using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Platform.Cli;

/// <summary><c>--help</c> as System.CommandLine writes it, then the exit codes and where profiles are documented.</summary>
public sealed class ExitCodesHelp(CommandLineAction standard) : SynchronousCommandLineAction
{
    public static void AddTo(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is { } standard) help.Action = new ExitCodesHelp(standard);
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        var code = standard is SynchronousCommandLineAction synchronous ? synchronous.Invoke(parseResult) : ExitCodes.Ok;
        Console.Out.WriteLine("Exit codes:");
        foreach (var (exitCode, meaning) in ExitCodes.All) Console.Out.WriteLine($"  {exitCode,-3} {meaning}");
        Console.Out.WriteLine();
        Console.Out.WriteLine("Profiles: --profile NAME (or PLATFORM_PROFILE) keeps one signed-in identity per name and gateway, e.g.");
        Console.Out.WriteLine("  platform-cli --profile commissioner login -u commissioner@qwe.demo");
        Console.Out.WriteLine("  platform-cli --profile commissioner approvals");
        return code;
    }
}
