using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Tensors;

namespace Veritensor.Sdk;

/// <summary>
/// The client library for verified inference. It reads the model and the chain head from a ledger node, signs
/// the request with the user's key (the user's authorisation to pay at most the quoted fee), sends it to a
/// gateway, and returns only after <see cref="ResponseVerifier"/> checked the answer against the ledger.
/// </summary>
/// <example>
/// <code>
/// using var client = InferenceClient.Create(new Uri("http://127.0.0.1:9651"), new Uri("http://127.0.0.1:9650"));
/// var result = await client.InferAsync(userKey, "demo-mlp@1", [input], new InferenceOptions { Mode = VerificationMode.Full });
/// Console.WriteLine($"{result.State}: {result.Outputs[0]}");
/// </code>
/// </example>
public sealed class InferenceClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsLedger;
    private Address? _gatewayAddress;

    public InferenceClient(Uri gateway, IInferenceLedger ledger, HttpClient? http = null, bool ownsLedger = false)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        Gateway = gateway.AbsoluteUri.EndsWith('/') ? gateway : new Uri(gateway.AbsoluteUri + "/");
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        _ownsLedger = ownsLedger;
    }

    /// <summary>A client of <paramref name="gateway"/> that checks answers against the ledger node at <paramref name="node"/>.</summary>
    public static InferenceClient Create(Uri gateway, Uri node) =>
        new(gateway, new LedgerApiClient(node), ownsLedger: true);

    public Uri Gateway { get; }
    public IInferenceLedger Ledger { get; }

    public async Task<VerifiedInference> InferAsync(
        KeyPair user,
        string model,
        IReadOnlyList<NamedTensor> inputs,
        InferenceOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new InferenceOptions();
        var resolved = await Ledger.FindModelAsync(model, cancellationToken).ConfigureAwait(false)
            ?? throw new InferenceClientException(
                $"No model '{model}' is registered on the ledger.",
                nameof(Veritensor.Ledger.ErrorCode.ModelNotFound),
                Veritensor.Ledger.ErrorCodes.HttpStatus(Veritensor.Ledger.ErrorCode.ModelNotFound)
            );
        var named = NamePositionally(inputs, resolved);
        var head = await Ledger.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        var parameters = await Ledger.GetParametersAsync(cancellationToken).ConfigureAwait(false);
        var maxFee = options.MaxFee ?? parameters.MaximumFee(resolved.Price, options.Mode);
        var gateway = await GetGatewayAddressAsync(cancellationToken).ConfigureAwait(false);
        var request = new InferenceRequest(
            user.Address,
            gateway,
            resolved.ContentId,
            TensorHash.Compute(named),
            options.Mode,
            maxFee,
            head.Height,
            head.Hash,
            options.Nonce ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8))
        );
        var signed = SignedInferenceRequest.Create(head.ChainId, request, user);
        var body = new InferenceApiRequest(
            resolved.ContentId.ToString(),
            WireTensors.Encode(named),
            new InferenceAuthorization(
                user.Address.ToString(),
                maxFee.ToString(),
                head.Height,
                request.Nonce,
                Convert.ToBase64String(signed.UserSignature.Span),
                request.InputHash.ToString()
            ),
            InferenceViews.Mode(options.Mode),
            options.Record
        );
        var response = await PostAsync(body, cancellationToken).ConfigureAwait(false);
        return await ResponseVerifier
            .VerifyAsync(Ledger, head.ChainId, signed, resolved, response, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The gateway's hotkey, which the user names in each signed request (only it may record the request): read from the
    /// gateway's /v1/health once, and checked on the ledger to be a node registered with the gateway role.
    /// </summary>
    public async Task<Address> GetGatewayAddressAsync(CancellationToken cancellationToken = default)
    {
        if (_gatewayAddress is { } known)
            return known;
        using var response = await SendAsync(() => _http.GetAsync(new Uri(Gateway, "v1/health"), cancellationToken))
            .ConfigureAwait(false);
        RoleHealthResponse? health;
        try
        {
            health = await response
                .Content.ReadFromJsonAsync(RoleJsonContext.Default.RoleHealthResponse, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InferenceClientException(
                $"The gateway at {Gateway} answered /v1/health with bad JSON: {e.Message}"
            );
        }
        if (health is null || !Address.TryParse(health.Hotkey, out var address, out _))
            throw new InferenceClientException($"The gateway at {Gateway} does not say which hotkey it is.");
        // Asked fresh: a cached view may predate the gateway's registration.
        var node = await Ledger.GetNodeAsync(address, fresh: true, cancellationToken).ConfigureAwait(false);
        if (node is not { } n || !n.Roles.HasFlag(Veritensor.Ledger.Transactions.NodeRoles.Gateway))
            throw new InferenceClientException(
                $"The gateway at {Gateway} claims hotkey {address}, which is not registered on the ledger as a gateway.",
                nameof(Veritensor.Ledger.ErrorCode.NotRequestGateway),
                Veritensor.Ledger.ErrorCodes.HttpStatus(Veritensor.Ledger.ErrorCode.NotRequestGateway)
            );
        _gatewayAddress = address;
        return address;
    }

    /// <summary>The gateway's current view of a request (its state moves from returned/verified/disputed to final).</summary>
    public async Task<InferenceApiResponse> GetAsync(Hash256 requestId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() =>
                _http.GetAsync(new Uri(Gateway, $"v1/inference/{requestId}"), cancellationToken)
            )
            .ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls the gateway until the request is final (recorded on the ledger, any dispute resolved) or <paramref name="timeout"/> passes.</summary>
    public async Task<InferenceApiResponse> WaitFinalAsync(
        Hash256 requestId,
        TimeSpan timeout,
        CancellationToken cancellationToken = default
    )
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var current = await GetAsync(requestId, deadline.Token).ConfigureAwait(false);
            if (current.State == InferenceStates.Final || current.Error is not null)
                return current;
            try
            {
                await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return current;
            }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    private static IReadOnlyList<NamedTensor> NamePositionally(IReadOnlyList<NamedTensor> inputs, LedgerModel model) =>
        inputs
            .Select(
                (t, i) =>
                    t.Name.Length > 0 || i >= model.Signature.Inputs.Count
                        ? t
                        : t with
                        {
                            Name = model.Signature.Inputs[i].Name,
                        }
            )
            .ToArray();

    private async Task<InferenceApiResponse> PostAsync(InferenceApiRequest body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
                _http.PostAsJsonAsync(
                    new Uri(Gateway, "v1/inference"),
                    body,
                    RoleJsonContext.Default.InferenceApiRequest,
                    cancellationToken
                )
            )
            .ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InferenceClientException(
                $"Cannot reach the gateway at {Gateway} ({e.Message}). Is it running? `veritensor devnet` starts one; or pass --gateway.",
                inner: e
            );
        }
    }

    private async Task<InferenceApiResponse> ReadAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        if (!response.IsSuccessStatusCode)
        {
            var problem = await Problem.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            throw new InferenceClientException(problem.Detail, problem.Code, problem.Status);
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(text, RoleJsonContext.Default.InferenceApiResponse)
                ?? throw new InferenceClientException($"The gateway at {Gateway} sent an empty answer.");
        }
        catch (JsonException e)
        {
            throw new InferenceClientException(
                $"The gateway at {Gateway} sent an answer that is not the expected JSON: {e.Message}"
            );
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        if (_ownsLedger && Ledger is IDisposable disposable)
            disposable.Dispose();
    }
}
