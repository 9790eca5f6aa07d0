using System.CommandLine;
using Platform.Cli;

var root = new RootCommand("platform-cli: sign in, submit achievement data, follow it to payment, and decide on payments awaiting approval.")
{
    Cli.Gateway, Cli.Profile, Cli.Json,
};
foreach (var command in AccountCommands.Create().Append(PasswordCommands.Create()).Concat(SubmissionCommands.Create())
    .Concat(InboxCommands.Create()).Append(ApprovalCommands.Create()))
{
    root.Subcommands.Add(command);
}
ExitCodesHelp.AddTo(root);
return await root.Parse(args).InvokeAsync();
