using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.State;
using Veritensor.Node.Hosting;
using Veritensor.Node.Roles;

namespace Veritensor.Node.Api;

/// <summary>The public HTTP JSON API, versioned under /v1. Errors are problem details with a stable code.</summary>
internal static class NodeApi
{
    private const int MaxStakesListed = 1_000;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static readonly string Version = typeof(NodeApi)
        .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
        ?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static void Map(IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/transactions", SubmitAsync);
        v1.MapGet("/transactions/{id}", GetTransactionAsync);
        v1.MapGet("/blocks/{id}", GetBlock);
        v1.MapGet("/accounts/{address}", GetAccount);
        v1.MapGet("/status", GetStatus);
        v1.MapPost("/dev/blocks", ProduceBlock);
        SubnetApi.Map(v1);
        InferenceApi.Map(v1);
        BlobApi.Map(v1);
        BlobUploadApi.Map(v1);
        app.MapFallback(() =>
            Problems.From(
                ErrorCode.NotFound,
                "No such endpoint. The API lives under /v1: /v1/status, /v1/transactions, /v1/blocks/{height|hash|latest}, /v1/accounts/{address}, /v1/subnets[/{netuid}[/metagraph]], /v1/models, /v1/nodes, /v1/blobs/{id}, /v1/inference/..., /v1/disputes/{id}, /v1/emission."
            )
        );
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request,
        NodeRuntime node,
        CancellationToken cancellationToken
    )
    {
        if (node.Options.BlockProduction == BlockProductionMode.Off)
            return Problems.From(
                ErrorCode.Unavailable,
                "This node runs with block production off, so it would never include a transaction; send it to a producing node."
            );
        byte[] raw;
        try
        {
            raw = await ReadTransactionBytesAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.From(
                ErrorCode.RequestTooLarge,
                $"The request body is larger than this node accepts ({node.Options.MaxRequestBodyBytes} bytes)."
            );
        }
        catch (LedgerException e)
        {
            return Problems.From(e);
        }
        try
        {
            var id = node.Ledger.Submit(raw);
            return Results.Accepted($"/v1/transactions/{id}", new SubmitTransactionResponse(id.ToString(), "pending"));
        }
        catch (LedgerException e)
        {
            return Problems.From(e);
        }
    }

    /// <summary>Accepts application/octet-stream (the bytes) or JSON {"raw": "hex"}.</summary>
    private static async Task<byte[]> ReadTransactionBytesAsync(
        HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var body = buffer.ToArray();
        if (request.ContentType?.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) == true)
            return body;
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            throw new LedgerException(
                ErrorCode.BadRequest,
                "Send the transaction as application/octet-stream, or as application/json {\"raw\": \"<hex>\"}."
            );
        SubmitTransactionRequest? parsed;
        try
        {
            parsed = System.Text.Json.JsonSerializer.Deserialize(body, ApiJsonContext.Default.SubmitTransactionRequest);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new LedgerException(ErrorCode.BadRequest, $"The body is not valid JSON: {e.Message}");
        }
        if (parsed?.Raw is not { Length: > 0 } hex)
            throw new LedgerException(
                ErrorCode.BadRequest,
                "The JSON body needs a \"raw\" member holding the transaction as hex."
            );
        try
        {
            return Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);
        }
        catch (FormatException)
        {
            throw new LedgerException(ErrorCode.MalformedEncoding, "\"raw\" is not valid hex.");
        }
    }

    private static async Task<IResult> GetTransactionAsync(
        string id,
        double? wait,
        NodeRuntime node,
        CancellationToken cancellationToken
    )
    {
        if (!Hash256.TryParse(id, out var hash))
            return Problems.From(ErrorCode.BadRequest, $"'{id}' is not a transaction id (64 hex characters).");
        if (wait is < 0 or > 30 || (wait is { } w && double.IsNaN(w)))
            return Problems.From(ErrorCode.BadRequest, "wait must be between 0 and 30 seconds.");
        var status = wait is > 0
            ? await node.WaitForTransactionAsync(
                    hash,
                    TimeSpan.FromSeconds(Math.Min(wait.Value, MaxWait.TotalSeconds)),
                    cancellationToken
                )
                .ConfigureAwait(false)
            : node.Ledger.GetStatus(hash);
        if (status.State == Ledger.Chain.TransactionState.Unknown)
            return Problems.From(ErrorCode.NotFound, $"Transaction {hash} is unknown to this node.");
        return Results.Ok(ApiViews.Status(status));
    }

    private static IResult GetBlock(string id, NodeRuntime node)
    {
        Block? block;
        if (id == "latest")
            block = node.Chain.Store.ReadBlock(node.Chain.Head.Height);
        else if (ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            block = node.Chain.Store.ReadBlock(height);
        else if (Hash256.TryParse(id, out var hash))
            block = node.Chain.Store.ReadBlock(hash);
        else
            return Problems.From(
                ErrorCode.BadRequest,
                $"'{id}' is neither a block height, a block hash (64 hex characters) nor 'latest'."
            );
        return block is null
            ? Problems.From(ErrorCode.NotFound, $"No block {id}; the chain's height is {node.Chain.Head.Height}.")
            : Results.Ok(ApiViews.Block(block));
    }

    private static IResult GetAccount(string address, NodeRuntime node)
    {
        if (!Address.TryParse(address, out var account, out var error))
            return Problems.From(ErrorCode.BadRequest, error);
        // One read transaction on the durable store: balance, nonce, stakes and node record all from the same block.
        AccountState state;
        IReadOnlyList<KeyValuePair<byte[], byte[]>> stakes;
        NodeRecord? nodeRecord;
        Amount nodeStake;
        ushort? delegateTake;
        using (var snapshot = node.Chain.Store.OpenStateSnapshot())
        {
            state = snapshot.GetAccount(account);
            stakes = snapshot.Scan(StateKeys.StakesOf(account), MaxStakesListed);
            nodeRecord = snapshot.GetNode(account);
            nodeStake = snapshot.GetHotkeyStake(account);
            delegateTake =
                nodeRecord is not null || snapshot.GetHotkeyOwner(account) is not null
                    ? snapshot.GetDelegateTake(account)
                    : null;
        }
        var stakeViews = stakes.Select(StateAccessors.DecodeStake).ToList();
        var totalStake = stakeViews.Aggregate(Amount.Zero, (sum, s) => sum + s.Amount);
        var nextNonce = node.Ledger.Mempool.NextNonce(account, state.Nonce);
        return Results.Ok(
            new AccountResponse(
                account.ToString(),
                state.Balance.ToString(),
                state.Balance.BaseUnits.ToString(CultureInfo.InvariantCulture),
                state.Nonce.ToString(CultureInfo.InvariantCulture),
                nextNonce.ToString(CultureInfo.InvariantCulture),
                stakeViews.Select(s => new StakeView(s.Hotkey.ToString(), s.Amount.ToString())).ToList(),
                totalStake.ToString(),
                nodeRecord is null
                    ? null
                    : new NodeView(
                        nodeRecord.Owner.ToString(),
                        ApiViews.RoleNames(nodeRecord.Roles),
                        nodeRecord.Endpoint,
                        nodeRecord.RegisteredAt.ToString(CultureInfo.InvariantCulture),
                        nodeStake.ToString()
                    ),
                delegateTake
            )
        );
    }

    private static IResult GetStatus(NodeRuntime node)
    {
        var chain = node.Chain;
        var head = chain.Head;
        var roles = node.CanProduce ? new[] { "validator" } : [];
        return Results.Ok(
            new StatusResponse(
                chain.ChainId,
                chain.GenesisHash.ToString(),
                head.Height.ToString(CultureInfo.InvariantCulture),
                head.Hash.ToString(),
                head.StateRoot.ToString(),
                head.Timestamp,
                roles,
                node.Validator?.Address.ToString(),
                Version,
                node.Ledger.Mempool.Count,
                chain.Parameters.MinFee.ToString(),
                chain.Parameters.MaxTransactionBytes,
                node.Options.BlockProduction.ToString().ToLowerInvariant(),
                node.Options.BlockIntervalMs,
                chain.Parameters.ByteFee.ToString(),
                chain.Parameters.StateByteFee.ToString()
            )
        );
    }

    /// <summary>Produces a block now. Only in manual block production, where tests and scripts drive the chain.</summary>
    private static IResult ProduceBlock(NodeRuntime node, TimeProvider time)
    {
        if (node.Options.BlockProduction != BlockProductionMode.Manual)
            return Problems.From(
                ErrorCode.Unavailable,
                "Blocks are produced on demand only when the node runs with --block-production manual."
            );
        if (!node.CanProduce)
            return Problems.From(
                ErrorCode.Unavailable,
                "This node has no registered validator key, so it cannot produce blocks."
            );
        if (!node.Options.HasRoomForBlocks(out var free))
            return Problems.From(
                ErrorCode.Unavailable,
                $"Only {free} bytes of disk are free, below Node:MinFreeDiskBytesForBlocks ({node.Options.MinFreeDiskBytesForBlocks}): no block is produced until there is room."
            );
        var block = node.ProduceBlock(time.GetUtcNow().ToUnixTimeMilliseconds());
        return Results.Ok(ApiViews.Block(block));
    }
}
