using System.CommandLine;
using Platform.Cli;

var root = new RootCommand("platform-cli: sign in, submit achievement data and follow it to payment.") { Cli.Gateway, Cli.Json };
foreach (var command in AccountCommands.Create().Concat(SubmissionCommands.Create()).Concat(InboxCommands.Create()))
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
