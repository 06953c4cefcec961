using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Veritensor.Client;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Execution;
using Veritensor.Node.Hosting;
using Veritensor.Node.Roles.Execution;
using Veritensor.Node.Roles.Gateway;
using Veritensor.Node.Roles.Verification;

namespace Veritensor.Node.Roles;

/// <summary>
/// Composes a gateway, inference or verification server: its own Kestrel listener, the services of its role,
/// and the ledger it reads. A configureServices callback lets tests replace a service (a dishonest
/// <see cref="IModelRunner"/>, a lazy <see cref="IVerifier"/>) while keeping every socket real.
/// </summary>
public static class RoleHost
{
    public static WebApplication Build(
        RoleOptions options,
        RoleIdentity identity,
        IInferenceLedger ledger,
        Action<IServiceCollection>? configureServices = null,
        Action<ILoggingBuilder>? configureLogging = null
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(ledger);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] }
        );
        ServerSetup.Apply(
            builder,
            options.LogFormat,
            options.Listen,
            options.Tls,
            options.MaxRequestBytes,
            RoleJsonContext.Default,
            configureLogging
        );
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(identity);
        services.AddSingleton(ledger);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RoleHttp>();
        services.AddSingleton<BackgroundWork>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundWork>());
        services.AddSingleton(_ => new BlobStore(Path.Combine(options.DataDir, "blobs")));
        services.AddSingleton(_ => new BlobFetcher(new HttpClient { Timeout = TimeSpan.FromMinutes(10) }));
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<DispatchAuthorization>();
        switch (options.Role)
        {
            case ServerRole.Inference:
                AddExecution(services, options);
                services.AddSingleton<ExecutionService>();
                if (options.AlsoVerify)
                    services.TryAddSingleton<IVerifier, VerificationService>();
                break;
            case ServerRole.Verifier:
                AddExecution(services, options);
                services.TryAddSingleton<IVerifier, VerificationService>();
                break;
            case ServerRole.Gateway:
                services.AddSingleton<ExecutorRouter>();
                services.AddSingleton<InferenceResultStore>();
                services.AddSingleton<DisputeResolver>();
                services.AddSingleton<AuditService>();
                services.AddSingleton<PendingCharges>();
                services.AddSingleton<LedgerRecorder>();
                services.AddHostedService(sp => sp.GetRequiredService<LedgerRecorder>());
                services.AddSingleton<GatewayService>();
                break;
        }
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        switch (options.Role)
        {
            case ServerRole.Inference:
                RoleApi.MapInference(app, options.AlsoVerify);
                break;
            case ServerRole.Verifier:
                RoleApi.MapVerifier(app);
                break;
            case ServerRole.Gateway:
                RoleApi.MapGateway(app);
                break;
        }
        return app;
    }

    /// <summary>Starts the server and returns the URL it listens on (the real port when the options asked for port 0).</summary>
    public static async Task<string> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var url = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()
            ?.Addresses.FirstOrDefault()
            ?? app.Services.GetRequiredService<RoleOptions>().Listen;
        return url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
    }

    private static void AddExecution(IServiceCollection services, RoleOptions options)
    {
        services.AddSingleton(_ => new OnnxExecutor(
            new ExecutionSettings
            {
                IntraOpThreads = options.IntraOpThreads,
                MaxRunTime = TimeSpan.FromMilliseconds(options.MaxRunTimeMs),
                MaxLoadedModels = options.MaxLoadedModels,
                MaxModelMemoryBytes = (uint)options.MaxModelMemoryBytes,
            }
        ));
        services.TryAddSingleton<IModelRunner, OnnxModelRunner>();
    }
}
