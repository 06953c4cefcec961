using System.CommandLine;
using Veritensor.Cli.Commands;

namespace Veritensor.Cli;

/// <summary>The <c>veritensor</c> command tree. Every command maps a <see cref="CliException"/> to one clear error line and exit code 1.</summary>
public static class CliApp
{
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Veritensor: one ledger for verified inference and competitive training.");
        root.Options.Add(CommonOptions.Json);
        foreach (var command in CommandModules(output, error)) root.Subcommands.Add(command);
        return root;
    }

    private static IEnumerable<Command> CommandModules(TextWriter output, TextWriter error)
    {
        Func<ParseResult, CliContext> context = pr => new CliContext(output, error, pr.GetValue(CommonOptions.Json));
        yield return DevnetCommand.Create(context);
        yield return NodeCommands.Create(context);
        yield return WalletCommands.Create(context);
        foreach (var command in ChainCommands.Create(context)) yield return command;
        yield return StakeCommands.Create(context);
        yield return DelegateCommands.Create(context);
        yield return SubnetCommands.Create(context);
        yield return WeightsCommands.Create(context);
        yield return MetagraphCommand.Create(context);
        yield return BenchCommands.Create(context);
        yield return YumaCommands.Create(context);
        yield return ModelCommands.Create(context);
        yield return InferCommand.Create(context);
        yield return DisputeCommands.Create(context);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parsed = root.Parse(args);
        // The default handler would print a CliException as "Unhandled exception" with a stack trace; we report it ourselves.
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(config).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            ReportError(parsed, error, output, e.Message, e.Code);
            return 1;
        }
    }

    private static void ReportError(ParseResult parsed, TextWriter error, TextWriter output, string message, string? code)
    {
        if (parsed.GetValue(CommonOptions.Json))
            output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { error = message, code }));
        else
            error.WriteLine(code is null ? $"error: {message}" : $"error [{code}]: {message}");
    }
}
