using System.CommandLine;
using System.Globalization;
using Veritensor.Node.Hosting;

namespace Veritensor.Cli.Commands;

/// <summary>
/// The flags every server command shares: <c>--config FILE</c> (a JSON settings file) and <c>--set Key=Value</c>
/// (repeatable, any setting, e.g. <c>--set Role:AuditRate=0.1</c>), plus a command's own flags, each mapped to one
/// settings key. Flags not given leave appsettings.json, the file and the environment alone.
/// </summary>
internal sealed class SettingsFlags
{
    private readonly Option<string> _config = new("--config")
    {
        Description = "JSON settings file (sections Node, Role, Logging; see docs/operations.md).",
    };
    private readonly Option<string[]> _set = new("--set")
    {
        Description =
            "Set any setting, e.g. --set Role:AuditRate=0.1 (repeatable; see docs/operations.md for the keys).",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly List<Action<ParseResult, Dictionary<string, string?>>> _mapped = [];

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_config);
        command.Options.Add(_set);
    }

    /// <summary>Adds <paramref name="option"/> to <paramref name="command"/>; when given, it sets <paramref name="key"/>.</summary>
    public void Map<T>(Command command, Option<T> option, string key, Func<T, string>? format = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(option);
        _mapped.Add(
            (pr, overrides) =>
            {
                if (pr.GetResult(option) is null)
                    return;
                var value = pr.GetValue(option)!;
                overrides[key] = format is null ? Convert.ToString(value, CultureInfo.InvariantCulture) : format(value);
            }
        );
    }

    public SettingsSources Sources(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var assignment in parseResult.GetValue(_set) ?? [])
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new CliException($"--set '{assignment}' must be Key=Value, e.g. Role:AuditRate=0.1.");
            overrides[assignment[..equals].Trim()] = assignment[(equals + 1)..];
        }
        foreach (var map in _mapped)
            map(parseResult, overrides);
        return new SettingsSources(parseResult.GetValue(_config), overrides);
    }
}
