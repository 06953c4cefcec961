using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>Bad requests reach a real gateway over HTTP and are refused with a clear problem naming what is wrong, before anything runs.</summary>
[NetworkTest]
public sealed class GatewayInputTests : IAsyncLifetime
{
    private InferenceNetwork _network = null!;

    public async ValueTask InitializeAsync() => _network = await InferenceNetwork.StartAsync();

    public async ValueTask DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task An_unknown_model_is_refused_with_404()
    {
        var problem = await PostAsync(await RequestAsync("no-such-model@1", [DevnetInference.DemoInput()]));
        Assert.Equal(HttpStatusCode.NotFound, problem.Status);
        Assert.Equal("ModelNotFound", problem.Code);
        Assert.Contains("no-such-model@1", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_shapes_types_and_names_name_the_first_mismatch()
    {
        var wrongShape = new NamedTensor("features", Tensor.FromFloats([1, 7], new float[7]));
        var problem = await PostAsync(await RequestAsync(ModelRef, [wrongShape]));
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("InvalidInput", problem.Code);
        Assert.Contains("features", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("[1,7]", problem.Detail, StringComparison.Ordinal);

        var wrongType = new NamedTensor("features", Tensor.FromInt64s([1, 8], new long[8]));
        problem = await PostAsync(await RequestAsync(ModelRef, [wrongType]));
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains("int64", problem.Detail, StringComparison.Ordinal);

        var wrongName = new NamedTensor("pixels", Tensor.FromFloats([1, 8], new float[8]));
        problem = await PostAsync(await RequestAsync(ModelRef, [wrongName]));
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains("features", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_request_is_refused_with_413()
    {
        // 40,000 rows of 8 floats: 1.28 MB of tensor data, more than the gateway's limit set below.
        var big = new NamedTensor("features", Tensor.FromFloats([40_000, 8], new float[320_000]));
        await using var network = await InferenceNetwork.StartAsync(
            (node, options) => options.MaxRequestBytes = 1024 * 1024
        );
        var problem = await PostAsync(await RequestAsync(ModelRef, [big], network), network);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, problem.Status);
    }

    [Fact]
    public async Task Inputs_other_than_the_signed_ones_are_refused_and_so_is_a_claimed_hash_the_user_did_not_sign()
    {
        var request = await RequestAsync(ModelRef, [DevnetInference.DemoInput()]);
        var other = new NamedTensor("features", Tensor.FromFloats([1, 8], [9, 9, 9, 9, 9, 9, 9, 9]));
        // Other inputs under the signed input hash: the signature holds, the inputs do not hash to what it covers.
        var swapped = request with { Inputs = WireTensors.Encode([other]) };
        var problem = await PostAsync(swapped);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("InvalidInput", problem.Code);
        Assert.Contains("authorization.inputHash", problem.Detail, StringComparison.Ordinal);
        // Other inputs with their own hash claimed: the user signed no such request.
        var claimed = swapped with
        {
            Authorization = request.Authorization with { InputHash = TensorHash.Compute([other]).ToString() },
        };
        problem = await PostAsync(claimed);
        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Equal("Unauthorized", problem.Code);
        // No input hash at all.
        problem = await PostAsync(request with { Authorization = request.Authorization with { InputHash = null } });
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains("authorization.inputHash is missing", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_without_a_valid_signature_is_refused_before_its_tensors_are_parsed()
    {
        var request = await RequestAsync(ModelRef, [DevnetInference.DemoInput()]);
        // Tensors the gateway cannot parse: with the user's valid signature they are refused as bad input (400)...
        var unparsable = new WireTensor(
            "features",
            Type: "float",
            Shape: [1, 8],
            Data: JsonDocument.Parse("\"x\"").RootElement
        );
        var malformed = request with { Inputs = [unparsable, .. Enumerable.Repeat(unparsable, 2000)] };
        var problem = await PostAsync(malformed);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("InvalidInput", problem.Code);
        // ...and with a signature that does not verify, the same body is refused as unauthorized (401): the signature is
        // checked first, so a stranger's tensors are never built.
        using var stranger = KeyPair.Generate();
        var forged = malformed with
        {
            Authorization = malformed.Authorization with
            {
                Signature = Convert.ToBase64String(stranger.Sign("not this request"u8).Span),
            },
        };
        problem = await PostAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Equal("Unauthorized", problem.Code);
        // A body that is not JSON at all is named as such.
        using var http = new HttpClient();
        using var response = await http.PostAsync(
            new Uri(_network.GatewayUrl + "/v1/inference"),
            new StringContent("{\"model\": ", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            "not a valid inference request",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task A_user_without_funds_is_refused_with_402_and_nothing_runs()
    {
        using var broke = KeyPair.Generate();
        var problem = await PostAsync(await RequestAsync(ModelRef, [DevnetInference.DemoInput()], user: broke));
        Assert.Equal(HttpStatusCode.PaymentRequired, problem.Status);
        Assert.Equal("InsufficientBalance", problem.Code);
        Assert.Contains(broke.Address.ToString(), problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_request_is_refused_with_409()
    {
        var request = await RequestAsync(ModelRef, [DevnetInference.DemoInput()]);
        using var http = new HttpClient();
        using (
            var first = await http.PostAsJsonAsync(
                new Uri(_network.GatewayUrl + "/v1/inference"),
                request,
                RoleJsonContext.Default.InferenceApiRequest,
                TestContext.Current.CancellationToken
            )
        )
            Assert.True(
                first.IsSuccessStatusCode,
                await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)
            );
        var problem = await PostAsync(request);
        Assert.Equal(HttpStatusCode.Conflict, problem.Status);
        Assert.Equal("DuplicateRequest", problem.Code);
    }

    [Fact]
    public async Task The_SDK_rejects_an_answer_whose_receipt_signature_is_forged()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _network.Client();
        using var user = _network.User("alice");
        var genuine = await client.InferAsync(
            user,
            ModelRef,
            [DevnetInference.DemoInput()],
            new InferenceOptions { Mode = VerificationMode.None },
            ct
        );

        // A gateway (or executor) that alters the output and re-encodes the receipt cannot produce the executor's signature.
        var forgedReceipt = genuine.Receipt with { OutputHash = Hash256.Compute([1, 2, 3]) };
        var forged = genuine.Response with
        {
            Receipt = genuine.Response.Receipt with { Encoded = Convert.ToBase64String(forgedReceipt.Encode()) },
        };
        var head = await _network.LedgerClient.GetHeadAsync(ct);
        var error = await Assert.ThrowsAsync<InferenceVerificationException>(() =>
            ResponseVerifier.VerifyAsync(
                _network.LedgerClient,
                head.ChainId,
                genuine.Request,
                genuine.Model,
                forged,
                ct
            )
        );
        Assert.Contains("forged", error.Message, StringComparison.Ordinal);

        // Outputs that do not hash to the signed receipt are caught too.
        var otherOutputs = genuine.Response with
        {
            Outputs = WireTensors.Encode([new NamedTensor("probabilities", Tensor.FromFloats([1, 3], [1, 0, 0]))]),
        };
        error = await Assert.ThrowsAsync<InferenceVerificationException>(() =>
            ResponseVerifier.VerifyAsync(
                _network.LedgerClient,
                head.ChainId,
                genuine.Request,
                genuine.Model,
                otherOutputs,
                ct
            )
        );
        Assert.Contains("output hash", error.Message, StringComparison.Ordinal);
    }

    private const string ModelRef = DevnetInference.DemoModelName + "@" + DevnetInference.DemoModelVersion;

    private sealed record Problem(HttpStatusCode Status, string? Code, string Detail);

    /// <summary>A correctly signed request body, as the SDK would build it.</summary>
    private async Task<InferenceApiRequest> RequestAsync(
        string model,
        IReadOnlyList<NamedTensor> inputs,
        InferenceNetwork? network = null,
        KeyPair? user = null
    )
    {
        network ??= _network;
        var ct = TestContext.Current.CancellationToken;
        using var alice = network.User("alice");
        var signer = user ?? alice;
        var head = await network.LedgerClient.GetHeadAsync(ct);
        var resolved = await network.LedgerClient.FindModelAsync(ModelRef, ct);
        var modelId = model == ModelRef ? resolved!.ContentId : Hash256.Compute([0]);
        var maxFee = Amount.FromTokens(1);
        var request = new InferenceRequest(
            signer.Address,
            network.GatewayAddress,
            modelId,
            TensorHash.Compute(inputs),
            VerificationMode.Full,
            maxFee,
            head.Height,
            head.Hash,
            42
        );
        var signed = SignedInferenceRequest.Create(head.ChainId, request, signer);
        return new InferenceApiRequest(
            model,
            WireTensors.Encode(inputs),
            new InferenceAuthorization(
                signer.Address.ToString(),
                maxFee.ToString(),
                head.Height,
                42,
                Convert.ToBase64String(signed.UserSignature.Span),
                request.InputHash.ToString()
            ),
            "full"
        );
    }

    private async Task<Problem> PostAsync(InferenceApiRequest body, InferenceNetwork? network = null)
    {
        network ??= _network;
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(
            new Uri(network.GatewayUrl + "/v1/inference"),
            body,
            RoleJsonContext.Default.InferenceApiRequest,
            TestContext.Current.CancellationToken
        );
        Assert.False(response.IsSuccessStatusCode, "the gateway accepted a request it should refuse");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        string? code = null,
            detail = "";
        if (text.Length > 0)
        {
            using var json = JsonDocument.Parse(text);
            code = json.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        }
        return new Problem(response.StatusCode, code, detail);
    }
}
