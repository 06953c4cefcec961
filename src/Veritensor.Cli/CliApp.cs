using System.CommandLine;
using Veritensor.Cli.Commands;

namespace Veritensor.Cli;

/// <summary>
/// The <c>veritensor</c> command tree. Every error ends as one line, <c>error [Code]: message</c> (or a JSON error object),
/// and exit code 1: a <see cref="CliException"/> as it is, any other exception with the code of what threw it (see
/// <see cref="UnexpectedError"/>); <c>--verbose</c> adds the stack trace.
/// </summary>
internal static class CliApp
{
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Veritensor: one ledger for verified inference and competitive training.");
        root.Options.Add(CommonOptions.Json);
        root.Options.Add(CommonOptions.Verbose);
        foreach (var command in CommandModules(output, error))
            root.Subcommands.Add(command);
        return root;
    }

    private static IEnumerable<Command> CommandModules(TextWriter output, TextWriter error)
    {
        Func<ParseResult, CliContext> context = pr => new CliContext(output, error, pr.GetValue(CommonOptions.Json));
        yield return DevnetCommand.Create(context);
        yield return NodeCommands.Create(context);
        yield return WalletCommands.Create(context);
        foreach (var command in ChainCommands.Create(context))
            yield return command;
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

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        InvokeAsync(Build(output, error), args, output, error);

    /// <summary>Runs <paramref name="root"/> (the tree <see cref="Build"/> makes, or a test's) with the CLI's error reporting.</summary>
    internal static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        var parsed = root.Parse(args);
        // The default handler would print a CliException as "Unhandled exception" with a stack trace; we report it ourselves.
        var config = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(config).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            ReportError(parsed, error, output, e.Message, e.Code);
            return 1;
        }
        catch (OperationCanceledException)
        {
            ReportError(parsed, error, output, "cancelled", null);
            return 130;
        }
        catch (Exception e)
        {
            var (code, message) = UnexpectedError.Describe(e);
            ReportError(parsed, error, output, message, code);
            if (parsed.GetValue(CommonOptions.Verbose))
                error.WriteLine(e.ToString());
            else if (!parsed.GetValue(CommonOptions.Json))
                error.WriteLine("(run again with --verbose for the stack trace)");
            return 1;
        }
    }

    private static void ReportError(
        ParseResult parsed,
        TextWriter error,
        TextWriter output,
        string message,
        string? code
    )
    {
        if (parsed.GetValue(CommonOptions.Json))
            output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { error = message, code }));
        else
            error.WriteLine(code is null ? $"error: {message}" : $"error [{code}]: {message}");
    }
}
