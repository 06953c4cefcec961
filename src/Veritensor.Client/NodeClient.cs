using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Client;

/// <summary>A typed client of a node's /v1 API, used by the CLI and the tests. Failures become <see cref="NodeClientException"/>.</summary>
public sealed class NodeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public NodeClient(Uri baseAddress, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        BaseAddress = baseAddress;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public Task<StatusResponse> GetStatusAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/status", ApiJsonContext.Default.StatusResponse, cancellationToken);

    public Task<AccountResponse> GetAccountAsync(Address address, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/accounts/{address}", ApiJsonContext.Default.AccountResponse, cancellationToken);

    public Task<SubnetListResponse> GetSubnetsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/subnets", ApiJsonContext.Default.SubnetListResponse, cancellationToken);

    public Task<SubnetResponse> GetSubnetAsync(ushort netuid, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/subnets/{netuid}", ApiJsonContext.Default.SubnetResponse, cancellationToken);

    public Task<MetagraphResponse> GetMetagraphAsync(
        ushort netuid,
        bool weights = false,
        CancellationToken cancellationToken = default
    ) => GetMetagraphAsync(netuid, weights, bonds: false, cancellationToken);

    /// <summary>The metagraph, with each uid's weight row and/or the bond row the last epoch stored.</summary>
    public Task<MetagraphResponse> GetMetagraphAsync(
        ushort netuid,
        bool weights,
        bool bonds,
        CancellationToken cancellationToken = default
    )
    {
        var query = (weights, bonds) switch
        {
            (true, true) => "?weights=true&bonds=true",
            (true, false) => "?weights=true",
            (false, true) => "?bonds=true",
            _ => "",
        };
        return GetAsync(
            $"v1/subnets/{netuid}/metagraph{query}",
            ApiJsonContext.Default.MetagraphResponse,
            cancellationToken
        );
    }

    /// <summary>The emission schedule, subnet rules and token accounts (GET /v1/emission).</summary>
    public Task<EmissionResponse> GetEmissionAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/emission", ApiJsonContext.Default.EmissionResponse, cancellationToken);

    /// <summary>The latest version of every model name.</summary>
    public Task<ModelListResponse> GetModelsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/models", ApiJsonContext.Default.ModelListResponse, cancellationToken);

    public Task<ModelVersionsResponse> GetModelVersionsAsync(
        string name,
        CancellationToken cancellationToken = default
    ) =>
        GetAsync(
            $"v1/models/{Uri.EscapeDataString(name)}",
            ApiJsonContext.Default.ModelVersionsResponse,
            cancellationToken
        );

    public Task<ModelResponse> GetModelAsync(
        string name,
        string version,
        CancellationToken cancellationToken = default
    ) =>
        GetAsync(
            $"v1/models/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(version)}",
            ApiJsonContext.Default.ModelResponse,
            cancellationToken
        );

    public Task<ModelResponse> GetModelAsync(Hash256 contentId, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/models/by-id/{contentId}", ApiJsonContext.Default.ModelResponse, cancellationToken);

    /// <summary>
    /// One page of registered nodes, all or only those with <paramref name="role"/> (one role), after the hotkey
    /// <paramref name="after"/> (the previous page's <see cref="NodeListResponse.Next"/>), at most <paramref name="limit"/>.
    /// </summary>
    public Task<NodeListResponse> GetNodesAsync(
        NodeRoles? role = null,
        CancellationToken cancellationToken = default,
        string? after = null,
        int? limit = null
    )
    {
        var query = new List<string>();
        if (role is { } r)
            query.Add("role=" + r.ToString().ToLowerInvariant());
        if (after is not null)
            query.Add("after=" + Uri.EscapeDataString(after));
        if (limit is { } l)
            query.Add("limit=" + l.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return GetAsync(
            "v1/nodes" + (query.Count == 0 ? "" : "?" + string.Join('&', query)),
            ApiJsonContext.Default.NodeListResponse,
            cancellationToken
        );
    }

    public Task<InferenceParametersResponse> GetInferenceParametersAsync(
        CancellationToken cancellationToken = default
    ) => GetAsync("v1/inference/parameters", ApiJsonContext.Default.InferenceParametersResponse, cancellationToken);

    /// <summary>The verifiers a request anchored at block <paramref name="anchorHeight"/> is drawn from.</summary>
    public Task<VerifierCandidatesResponse> GetVerifierCandidatesAsync(
        ulong anchorHeight,
        CancellationToken cancellationToken = default
    ) =>
        GetAsync(
            $"v1/inference/candidates?anchor={anchorHeight.ToString(CultureInfo.InvariantCulture)}",
            ApiJsonContext.Default.VerifierCandidatesResponse,
            cancellationToken
        );

    /// <summary>The verifiers the ledger requires for <paramref name="requestId"/> anchored at <paramref name="anchorHeight"/> with <paramref name="drawTicket"/>, executed by <paramref name="executor"/>.</summary>
    public Task<VerifierSelectionResponse> GetVerifierSelectionAsync(
        Hash256 requestId,
        ulong anchorHeight,
        Signature drawTicket,
        Address executor,
        CancellationToken cancellationToken = default
    ) =>
        GetAsync(
            $"v1/inference/selection?requestId={requestId}&anchor={anchorHeight.ToString(CultureInfo.InvariantCulture)}&ticket={System.Buffers.Text.Base64Url.EncodeToString(drawTicket.Span)}&executor={executor}",
            ApiJsonContext.Default.VerifierSelectionResponse,
            cancellationToken
        );

    public Task<DisputeQuorumResponse> GetDisputeQuorumAsync(
        Hash256 disputeId,
        CancellationToken cancellationToken = default
    ) =>
        GetAsync(
            $"v1/inference/dispute-quorum/{disputeId}",
            ApiJsonContext.Default.DisputeQuorumResponse,
            cancellationToken
        );

    public Task<InferenceRecordResponse> GetInferenceRecordAsync(
        Hash256 requestId,
        CancellationToken cancellationToken = default
    ) =>
        GetAsync(
            $"v1/inference/records/{requestId}",
            ApiJsonContext.Default.InferenceRecordResponse,
            cancellationToken
        );

    public Task<DisputeResponse> GetDisputeAsync(Hash256 disputeId, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/disputes/{disputeId}", ApiJsonContext.Default.DisputeResponse, cancellationToken);

    public Task<BlockResponse> GetBlockAsync(
        string heightHashOrLatest,
        CancellationToken cancellationToken = default
    ) =>
        GetAsync(
            $"v1/blocks/{Uri.EscapeDataString(heightHashOrLatest)}",
            ApiJsonContext.Default.BlockResponse,
            cancellationToken
        );

    /// <summary>The transaction's status; with <paramref name="wait"/>, the node holds the answer until it is included or dropped (at most 30 s).</summary>
    public Task<TransactionStatusResponse> GetTransactionAsync(
        Hash256 id,
        TimeSpan? wait = null,
        CancellationToken cancellationToken = default
    )
    {
        var query = wait is { } w
            ? "?wait=" + Math.Min(30, w.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture)
            : "";
        return GetAsync(
            $"v1/transactions/{id}{query}",
            ApiJsonContext.Default.TransactionStatusResponse,
            cancellationToken
        );
    }

    public async Task<SubmitTransactionResponse> SubmitAsync(
        SignedTransaction transaction,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var content = new ByteArrayContent(transaction.Encoded);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(
                HttpMethod.Post,
                "v1/transactions",
                content,
                ApiJsonContext.Default.SubmitTransactionResponse,
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Stores <paramref name="bytes"/> in the node's blob store (a model file), with <paramref name="uploader"/>'s signed
    /// intent for chain <paramref name="chainId"/> (a funded account within the node's hourly quota); the answer names
    /// its content id.
    /// </summary>
    public Task<BlobUploadResponse> UploadBlobAsync(
        byte[] bytes,
        KeyPair uploader,
        string chainId,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(uploader);
        var contentId = Hash256.Compute(bytes);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add(BlobUploadIntent.UploaderHeader, uploader.Address.ToString());
        content.Headers.Add(BlobUploadIntent.ContentIdHeader, contentId.ToString());
        content.Headers.Add(
            BlobUploadIntent.SignatureHeader,
            Convert.ToBase64String(BlobUploadIntent.Sign(chainId, contentId, bytes.Length, uploader).Span)
        );
        return SendAsync(
            HttpMethod.Post,
            "v1/blobs",
            content,
            ApiJsonContext.Default.BlobUploadResponse,
            cancellationToken
        );
    }

    /// <summary>Asks a node in manual block production to produce a block now.</summary>
    public Task<BlockResponse> ProduceBlockAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "v1/dev/blocks", null, ApiJsonContext.Default.BlockResponse, cancellationToken);

    private Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, type, cancellationToken);

    private async Task<T> SendAsync<T>(
        HttpMethod method,
        string path,
        HttpContent? content,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new NodeClientException(
                $"Cannot reach the node at {BaseAddress} ({e.Message}). Is it running? Start a local network with `veritensor devnet`, or pass --node.",
                inner: e
            );
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeClientException($"The node at {BaseAddress} did not answer in time.", inner: e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                        ?? throw new NodeClientException(
                            $"The node at {BaseAddress} sent an empty answer to {path}.",
                            statusCode: (int)response.StatusCode
                        );
                }
                catch (JsonException e)
                {
                    throw new NodeClientException(
                        $"The node at {BaseAddress} sent an answer that is not the expected JSON: {e.Message}",
                        statusCode: (int)response.StatusCode
                    );
                }
            }
            throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<NodeClientException> ProblemAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        var problem = await Problem.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        return new NodeClientException(problem.Detail, problem.Code, problem.Status);
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}
