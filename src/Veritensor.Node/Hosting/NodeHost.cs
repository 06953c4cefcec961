using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritensor.Client;
using Veritensor.Inference.Blobs;
using Veritensor.Node.Api;

namespace Veritensor.Node.Hosting;

/// <summary>
/// Composes a node: configuration (appsettings.json, then VERITENSOR_-prefixed environment variables such as
/// VERITENSOR_Node__DataDir, then explicit overrides from command-line flags), logging, the chain, the block
/// producer and the HTTP API on Kestrel.
/// </summary>
public static class NodeHost
{
    public const string ApiUrlFileName = "api-url";

    public static WebApplication Build(
        IReadOnlyDictionary<string, string?> overrides,
        Action<ILoggingBuilder>? configureLogging = null
    ) => Build(new SettingsSources(null, overrides), configureLogging);

    /// <summary>Builds the node from its settings (see <see cref="SettingsSources"/>); a setting out of range throws <see cref="ArgumentException"/> naming it.</summary>
    public static WebApplication Build(SettingsSources settings, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] }
        );
        settings.AddTo(builder.Configuration);
        var options = NodeOptions.Bind(builder.Configuration);

        ServerSetup.Apply(
            builder,
            options.LogFormat,
            options.Listen,
            options.Tls,
            options.MaxRequestBodyBytes,
            ApiJsonContext.Default,
            configureLogging
        );
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services =>
            NodeRuntime.Open(options, services.GetRequiredService<ILoggerFactory>().CreateLogger("Veritensor.Node"))
        );
        builder.Services.AddHostedService<BlockProducer>();
        builder.Services.AddSingleton(_ => new BlobStore(options.BlobDirectory));
        builder.Services.AddSingleton<BlobCollector>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BlobCollector>());
        builder.Services.AddSingleton<Api.UploadQuota>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        NodeApi.Map(app);
        return app;
    }

    /// <summary>Starts the node: opens the chain (failing fast on a bad genesis or data directory), then serves the API. Returns the API's URL.</summary>
    public static async Task<string> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var node = app.Services.GetRequiredService<NodeRuntime>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var url = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()
            ?.Addresses.FirstOrDefault()
            ?? node.Options.Listen;
        url = url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(node.Options.DataDir, ApiUrlFileName), url + "\n", cancellationToken)
            .ConfigureAwait(false);
        NodeLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Veritensor.Node"), url);
        return url;
    }
}
