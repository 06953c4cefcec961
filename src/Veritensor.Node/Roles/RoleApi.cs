using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Node.Api;
using Veritensor.Node.Roles.Execution;
using Veritensor.Node.Roles.Gateway;
using Veritensor.Node.Roles.Verification;

namespace Veritensor.Node.Roles;

/// <summary>The HTTP endpoints of the role servers, under /v1. Refusals are problem details with a stable "code".</summary>
internal static class RoleApi
{
    public static void MapGateway(IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        // Bodies that carry tensors are read as bytes and parsed in parts (JsonBody): signatures before tensors.
        v1.MapPost("/inference", (HttpRequest http, GatewayService gateway, CancellationToken ct) =>
            HandleAsync(async () => await gateway.InferAsync(await JsonBody.ReadAsync(http, ct), ct))
        );
        v1.MapGet("/inference/{id}", (string id, GatewayService gateway) => Handle(() => gateway.Get(ParseId(id))));
        v1.MapGet("/health", (GatewayService gateway) => gateway.Health());
        MapFallback(app, "POST /v1/inference, GET /v1/inference/{id}, GET /v1/health");
    }

    /// <summary>An inference server's endpoints; <paramref name="alsoVerify"/> adds the verifier's (a node with both roles).</summary>
    public static void MapInference(IEndpointRouteBuilder app, bool alsoVerify = false)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/execute", (HttpRequest http, ExecutionService execution, CancellationToken ct) =>
            HandleAsync(async () => await execution.ExecuteAsync(await JsonBody.ReadAsync(http, ct), ct))
        );
        if (alsoVerify)
            MapVerifyRoutes(v1);
        v1.MapGet("/health", (ExecutionService execution) => execution.Health());
        BlobApi.Map(v1);
        MapFallback(
            app,
            alsoVerify
                ? "POST /v1/execute, POST /v1/verify/commit|attest|judge, GET /v1/blobs/{id}, GET /v1/health"
                : "POST /v1/execute, GET /v1/blobs/{id}, GET /v1/health"
        );
    }

    public static void MapVerifier(IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        MapVerifyRoutes(v1);
        v1.MapGet("/health", (IVerifier verifier) => verifier.Health());
        BlobApi.Map(v1);
        MapFallback(app, "POST /v1/verify/commit|attest|judge, GET /v1/blobs/{id}, GET /v1/health");
    }

    private static void MapVerifyRoutes(RouteGroupBuilder v1)
    {
        v1.MapPost("/verify/commit", (HttpRequest http, IVerifier verifier, CancellationToken ct) =>
            HandleAsync(async () => await verifier.CommitAsync(await JsonBody.ReadAsync(http, ct), ct))
        );
        v1.MapPost("/verify/attest", (AttestRequest body, IVerifier verifier, CancellationToken ct) =>
            HandleAsync(() => verifier.AttestAsync(body, ct))
        );
        v1.MapPost("/verify/judge", (JudgeRequest body, IVerifier verifier, CancellationToken ct) =>
            HandleAsync(() => verifier.JudgeAsync(body, ct))
        );
    }

    public static IResult Problem(ApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Results.Problem(
            detail: exception.Message,
            statusCode: exception.StatusCode,
            title: exception.Code.ToString(),
            type: Problems.TypePrefix + exception.Code,
            extensions: new Dictionary<string, object?> { ["code"] = exception.Code.ToString() }
        );
    }

    private static Hash256 ParseId(string id) =>
        Hash256.TryParse(id, out var hash)
            ? hash
            : throw ApiException.BadRequest($"'{id}' is not a request id (64 hex characters).");

    private static async Task<IResult> HandleAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return Results.Ok(await action().ConfigureAwait(false));
        }
        catch (ApiException e)
        {
            return Problem(e);
        }
    }

    private static IResult Handle<T>(Func<T> action)
    {
        try
        {
            return Results.Ok(action());
        }
        catch (ApiException e)
        {
            return Problem(e);
        }
    }

    private static void MapFallback(IEndpointRouteBuilder app, string endpoints) =>
        app.MapFallback(() => Problem(ApiException.NotFound($"No such endpoint. This server answers {endpoints}.")));
}
