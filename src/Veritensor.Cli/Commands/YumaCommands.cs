using System.CommandLine;
using Veritensor.Cli.Yuma;

namespace Veritensor.Cli.Commands;

/// <summary><c>veritensor yuma ...</c>: Yuma Consensus tools (replaying subtensor's test vectors).</summary>
internal static class YumaCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var yuma = new Command(
            "yuma",
            "Yuma Consensus: the epoch that turns weights and stake into incentive, dividends and emission."
        );
        var replay = new Command(
            "replay",
            "Replay the epoch_sequence cases of a vectors file (format veritensor.yuma-vectors/1); one JSON line per step."
        );
        var file = new Argument<string>("FILE")
        {
            Description = "The vectors file, e.g. tests/data/yuma/vectors.json.",
        };
        replay.Arguments.Add(file);
        replay.SetAction(pr =>
        {
            var ctx = context(pr);
            var path = pr.GetValue(file)!;
            string json;
            try
            {
                json = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read {path}: {e.Message}");
            }
            try
            {
                // Parse everything first so a malformed file prints nothing but the error.
                var cases = YumaCaseReader.Parse(json);
                foreach (var yumaCase in cases)
                {
                    foreach (var step in YumaReplayer.Replay(yumaCase))
                        ctx.Output.WriteLine(step.ToJsonLine());
                }
            }
            catch (YumaFormatException e)
            {
                throw new CliException($"{path}: {e.Message}");
            }
            return 0;
        });
        yuma.Subcommands.Add(replay);
        return yuma;
    }
}
