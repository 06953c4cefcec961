using Veritensor.Node.Hosting;
using Veritensor.Node.Roles;

namespace Veritensor.Node.Tests;

/// <summary>
/// Every setting of a node or role server comes from configuration (appsettings.json, --config, VERITENSOR_ variables,
/// flags and --set) and is validated at start-up with the key named, before anything listens or opens.
/// </summary>
[UnitTest]
[Collection(nameof(EnvironmentCollection))]
public sealed class SettingsTests
{
    [Fact]
    public void A_role_server_takes_its_defaults_then_the_file_then_the_environment_then_flags()
    {
        using var directory = new TestDirectory();
        var file = Path.Combine(directory.Path, "gateway.json");
        File.WriteAllText(file, """{"Role":{"ExecutorTimeoutMs":1234,"BatchSize":7,"AuditRate":0.5}}""");
        Environment.SetEnvironmentVariable("VERITENSOR_Role__BatchSize", "9");
        try
        {
            var options = RoleOptions.Bind(
                new SettingsSources(file, new Dictionary<string, string?> { ["Role:AuditRate"] = "0.25" }).Build(),
                ServerRole.Gateway
            );
            Assert.Equal(1234, options.ExecutorTimeoutMs); // the file
            Assert.Equal(9, options.BatchSize); // the environment over the file
            Assert.Equal(0.25, options.AuditRate); // a flag over both
            Assert.Equal("http://127.0.0.1:9651", options.Listen); // the gateway's default
            Assert.Equal(
                "http://127.0.0.1:9654",
                RoleOptions.Bind(SettingsSources.None.Build(), ServerRole.Verifier).Listen
            );
        }
        finally
        {
            Environment.SetEnvironmentVariable("VERITENSOR_Role__BatchSize", null);
        }
    }

    [Theory]
    [InlineData("Role:AuditRate", "2", "Role:AuditRate must be between 0 and 1")]
    [InlineData("Role:BatchSize", "0", "Role:BatchSize must be between 1 and 1000")]
    [InlineData("Role:MaxModelBytes", "12", "Role:MaxModelBytes must be between 1024")]
    [InlineData("Role:ExecutorTimeoutMs", "soon", "ExecutorTimeoutMs")]
    [InlineData("Role:AuditRat", "0.1", "AuditRat")]
    public void A_bad_role_setting_is_refused_by_name(string key, string value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            RoleOptions.Bind(
                new SettingsSources(null, new Dictionary<string, string?> { [key] = value }).Build(),
                ServerRole.Gateway
            )
        );
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_setting_with_an_unknown_key_or_a_missing_config_file_is_refused()
    {
        var unknown = Assert.Throws<ArgumentException>(() =>
            NodeOptions.Bind(
                new SettingsSources(null, new Dictionary<string, string?> { ["Node:BlockIntervall"] = "5" }).Build()
            )
        );
        Assert.Contains("BlockIntervall", unknown.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() =>
            new SettingsSources("/nonexistent/veritensor.json", new Dictionary<string, string?>()).Build()
        );
        Assert.Contains("--config", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_role_command_reports_a_bad_set_before_it_loads_a_wallet_or_listens()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.CliApp.RunAsync(
            ["node", "gateway", "--set", "Role:AuditRate=7", "--wallet", "nobody"],
            output,
            error
        );
        Assert.Equal(1, code);
        Assert.Contains("Role:AuditRate must be between 0 and 1", error.ToString(), StringComparison.Ordinal);
        // --set repeats: the second of two is read too.
        var second = new StringWriter();
        Assert.Equal(
            1,
            await Cli.CliApp.RunAsync(
                ["node", "gateway", "--set", "Role:BatchSize=5", "--set", "Role:ExecutorTimeoutMs=1"],
                output,
                second
            )
        );
        Assert.Contains(
            "Role:ExecutorTimeoutMs must be between 10 and 600000",
            second.ToString(),
            StringComparison.Ordinal
        );
        var malformed = new StringWriter();
        Assert.Equal(1, await Cli.CliApp.RunAsync(["node", "gateway", "--set", "AuditRate"], output, malformed));
        Assert.Contains("must be Key=Value", malformed.ToString(), StringComparison.Ordinal);
    }
}
