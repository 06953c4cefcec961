using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritensor.Node.Api;

namespace Veritensor.Node.Hosting;

/// <summary>
/// What every server of a node (the ledger node and each role server) sets up alike: console logging in the chosen
/// format, the listen address (with its TLS certificate for https) and body limit, its source-generated JSON contracts with problem details, and
/// problem-details error answers.
/// </summary>
internal static class ServerSetup
{
    public static void Apply(
        WebApplicationBuilder builder,
        string logFormat,
        string listen,
        ListenerTls tls,
        long maxRequestBodyBytes,
        JsonSerializerContext contracts,
        Action<ILoggingBuilder>? configureLogging
    )
    {
        ArgumentNullException.ThrowIfNull(tls);
        builder.Logging.ClearProviders();
        if (logFormat == "json")
        {
            builder.Logging.AddJsonConsole(console =>
            {
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                console.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // Start-up failures (port in use, bad data directory) reach the caller as exceptions with a clear message;
        // the host's own error log would repeat them with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        configureLogging?.Invoke(builder.Logging);

        builder.WebHost.UseUrls(listen);
        tls.Apply(builder.WebHost, listen);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, contracts);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, ProblemJsonContext.Default);
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddProblemDetails();
    }
}
