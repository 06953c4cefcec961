using Microsoft.Extensions.Configuration;

namespace Veritensor.Node.Hosting;

/// <summary>
/// Where every server's settings come from, lowest precedence first: the <c>appsettings.json</c> beside the program,
/// a file given with <c>--config</c>, <c>VERITENSOR_</c>-prefixed environment variables (<c>VERITENSOR_Role__AuditRate</c>),
/// then flags (each flag, and each <c>--set Key=Value</c>, is one key). Defaults are written once, in the options classes
/// (<see cref="NodeOptions"/>, <c>RoleOptions</c>); docs/operations.md lists every setting.
/// </summary>
public sealed record SettingsSources(string? ConfigFile, IReadOnlyDictionary<string, string?> Overrides)
{
    public static SettingsSources None { get; } = new(null, new Dictionary<string, string?>());

    /// <summary>Adds the sources after whatever <paramref name="builder"/> holds (its appsettings.json).</summary>
    public void AddTo(IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (ConfigFile is not null)
        {
            var path = Path.GetFullPath(ConfigFile);
            if (!File.Exists(path))
                throw new ArgumentException($"--config: no settings file at {path}.");
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables("VERITENSOR_");
        builder.AddInMemoryCollection(Overrides);
    }

    /// <summary>A configuration from the program's appsettings.json and these sources, for servers not built on a host builder.</summary>
    public IConfiguration Build()
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true);
        AddTo(builder);
        return builder.Build();
    }
}
