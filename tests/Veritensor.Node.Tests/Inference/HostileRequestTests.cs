using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Tests;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// The review's attacks on the execution and verification layer, on a running network over real sockets: a published
/// model that reads a node's files, and strangers asking inference and verification nodes to run models for free.
/// </summary>
[NetworkTest]
public sealed class HostileRequestTests : IAsyncLifetime
{
    private static readonly Tensor Input = Tensor.FromFloats([8], new float[8]);
    private InferenceNetwork _network = null!;

    public async ValueTask InitializeAsync() => _network = await InferenceNetwork.StartAsync();

    public async ValueTask DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task A_model_that_reads_a_nodes_file_is_never_run_and_the_secret_never_leaves()
    {
        var ct = TestContext.Current.CancellationToken;
        // The review's target: a secret below the working directory, named by a relative external-data location.
        var secret = Path.Combine(Environment.CurrentDirectory, $"secret-{Guid.NewGuid():N}");
        var secretBytes = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
        await File.WriteAllBytesAsync(secret, secretBytes, ct);
        try
        {
            var model = HostileModels.ReadsFile(Path.GetFileName(secret));
            await PublishAndServeAsync(model, "exfiltrate", ct);
            using var client = _network.Client();
            using var user = _network.User("bob");
            var e = await Assert.ThrowsAsync<InferenceClientException>(() =>
                client.InferAsync(user, "exfiltrate@1", [new NamedTensor("x", Input)], new InferenceOptions(), ct)
            );
            Assert.Contains("refused", e.Message, StringComparison.Ordinal);
            Assert.Contains("external file", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(secretBytes), e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task Inference_and_verification_nodes_refuse_work_no_registered_gateway_dispatched()
    {
        var ct = TestContext.Current.CancellationToken;
        var head = await _network.LedgerClient.GetHeadAsync(fresh: true, ct);
        using var stranger = KeyPair.Generate();
        var request = new InferenceRequest(
            stranger.Address,
            stranger.Address,
            _network.Roles.DemoModelId,
            TensorHash.Compute([DevnetInference.DemoInput()]),
            VerificationMode.Full,
            Amount.FromTokens(1),
            head.Height,
            head.Hash,
            1
        );
        var signed = Convert.ToBase64String(SignedInferenceRequest.Create(head.ChainId, request, stranger).Encode());
        var requestId = request.Id(head.ChainId);
        var inputs = WireTensors.Encode([DevnetInference.DemoInput()]);
        var executor = _network.Roles.Urls["inference-0"];
        var verifier = _network.Roles.Urls["verifier-0"];
        var executorKey = DevnetSetup.HotkeyOf("inference-0").Address;
        var verifierKey = DevnetSetup.HotkeyOf("verifier-0").Address;
        string Dispatch(Address node) =>
            Convert.ToBase64String(GatewayDispatch.Create(head.ChainId, requestId, node, stranger).Span);

        // No dispatch at all: the review's free /v1/execute call.
        await ExpectAsync(executor, "v1/execute", new ExecuteRequest(signed, inputs), 401, "Unauthorized", ct);
        // Unparsable tensors change nothing: the dispatch is checked before any tensor is read.
        var unparsable = new[] { new WireTensor("features", Proto: "not base64!") };
        await ExpectAsync(executor, "v1/execute", new ExecuteRequest(signed, unparsable), 401, "Unauthorized", ct);
        await ExpectAsync(verifier, "v1/verify/commit", new CommitRequest(signed, unparsable), 401, "Unauthorized", ct);
        // A dispatch from a key that is no registered gateway.
        await ExpectAsync(
            executor,
            "v1/execute",
            new ExecuteRequest(signed, inputs, Dispatch(executorKey)),
            403,
            "NotRequestGateway",
            ct
        );
        // A dispatch for another node is worthless here.
        await ExpectAsync(
            executor,
            "v1/execute",
            new ExecuteRequest(signed, inputs, Dispatch(verifierKey)),
            403,
            "NotRequestGateway",
            ct
        );
        await ExpectAsync(verifier, "v1/verify/commit", new CommitRequest(signed, inputs), 401, "Unauthorized", ct);
        await ExpectAsync(
            verifier,
            "v1/verify/commit",
            new CommitRequest(
                signed,
                inputs,
                executorKey.ToString(),
                Convert.ToBase64String(DrawTicket.Create(head.ChainId, requestId, stranger).Span),
                Dispatch(verifierKey)
            ),
            403,
            "NotRequestGateway",
            ct
        );
        // A judge vote only for an open dispute on the ledger.
        await ExpectAsync(
            verifier,
            "v1/verify/judge",
            new JudgeRequest(requestId.ToString(), _network.Roles.DemoModelId.ToString(), inputs, inputs),
            404,
            "DisputeNotFound",
            ct
        );
        // The honest path still works.
        using var client = _network.Client();
        using var user = _network.User("bob");
        var result = await client.InferAsync(
            user,
            _network.Roles.DemoModelId.ToString(),
            [DevnetInference.DemoInput()],
            new InferenceOptions { Mode = VerificationMode.Full },
            ct
        );
        Assert.Equal(InferenceStates.Verified, result.State);
    }

    [Fact]
    public async Task A_gateway_outside_a_private_network_never_calls_a_loopback_address_a_registration_names()
    {
        var ct = TestContext.Current.CancellationToken;
        // Every node of this network registered a 127.0.0.1 endpoint: to a public gateway those are internal targets.
        await using var network = await InferenceNetwork.StartAsync(
            configureOptions: (node, options) =>
            {
                if (node.Role == ServerRole.Gateway)
                    options.AllowPrivatePeers = false;
            }
        );
        using var client = network.Client();
        using var user = network.User("bob");
        var e = await Assert.ThrowsAsync<InferenceClientException>(() =>
            client.InferAsync(user, network.Roles.DemoModelId.ToString(), [DevnetInference.DemoInput()], null, ct)
        );
        Assert.Equal(503, e.StatusCode);
        Assert.Contains("loopback or private address", e.Message, StringComparison.Ordinal);
        Assert.True(PeerAddress.IsPrivate(System.Net.IPAddress.Parse("10.1.2.3")));
        Assert.True(PeerAddress.IsPrivate(System.Net.IPAddress.Parse("::ffff:192.168.0.1")));
        Assert.True(PeerAddress.IsPrivate(System.Net.IPAddress.Parse("169.254.169.254")));
        Assert.False(PeerAddress.IsPrivate(System.Net.IPAddress.Parse("8.8.8.8")));
    }

    [Fact]
    public async Task A_verifiers_commitment_is_shown_at_most_two_outputs_and_a_match_uses_it_up()
    {
        // What live audits rely on (a planted output first, the real one after), and no more: a gateway cannot keep
        // probing one commitment.
        var ct = TestContext.Current.CancellationToken;
        var gateway = _network.Roles.ServicesOf("gateway").GetRequiredService<RoleIdentity>();
        var head = await _network.LedgerClient.GetHeadAsync(fresh: true, ct);
        using var user = _network.User("bob");
        var input = DevnetInference.DemoInput();
        var executor = DevnetSetup.HotkeyOf("inference-0").Address;
        var verifier = DevnetSetup.HotkeyOf("verifier-1").Address;
        ulong nonce = 1;
        async Task<(InferenceRequest Request, Signature Ticket)> DrawnRequestAsync()
        {
            while (true)
            {
                var request = new InferenceRequest(
                    user.Address,
                    gateway.Address,
                    _network.Roles.DemoModelId,
                    TensorHash.Compute([input]),
                    VerificationMode.Full,
                    Amount.FromTokens(1),
                    head.Height,
                    head.Hash,
                    nonce++
                );
                var ticket = DrawTicket.Create(head.ChainId, request.Id(head.ChainId), gateway.Key);
                var drawn = await _network.LedgerClient.SelectVerifiersAsync(
                    request.Id(head.ChainId),
                    head.Height,
                    ticket,
                    VerificationMode.Full,
                    executor,
                    ct
                );
                if (drawn.Any(v => v.Hotkey == verifier))
                    return (request, ticket);
            }
        }
        var inputs = WireTensors.Encode([input]);
        var verifierUrl = new Uri(_network.Roles.Urls["verifier-1"] + "/");
        using var http = new HttpClient();
        async Task<T> PostAsync<T>(Uri server, string path, object body)
        {
            using var response = await http.PostAsJsonAsync(new Uri(server, path), body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
            return JsonSerializer.Deserialize<T>(text, JsonSerializerOptions.Web)!;
        }
        // Executes and commits a fresh drawn request; returns its id and the executor's outputs.
        async Task<(Hash256 Id, IReadOnlyList<WireTensor> Outputs)> CommittedAsync()
        {
            var (request, ticket) = await DrawnRequestAsync();
            var id = request.Id(head.ChainId);
            var signed = Convert.ToBase64String(SignedInferenceRequest.Create(head.ChainId, request, user).Encode());
            var executed = await PostAsync<ExecuteResponse>(
                new Uri(_network.Roles.Urls["inference-0"] + "/"),
                "v1/execute",
                new ExecuteRequest(signed, inputs, gateway.Dispatch(id, executor))
            );
            await PostAsync<CommitResponse>(
                verifierUrl,
                "v1/verify/commit",
                new CommitRequest(
                    signed,
                    inputs,
                    executor.ToString(),
                    Convert.ToBase64String(ticket.Span),
                    gateway.Dispatch(id, verifier)
                )
            );
            return (id, executed.Outputs);
        }
        AttestRequest Show(Hash256 id, IReadOnlyList<WireTensor> outputs) =>
            new(id.ToString(), outputs, Dispatch: gateway.Dispatch(id, verifier));
        async Task<AttestationVerdict> VerdictAsync(Hash256 id, IReadOnlyList<WireTensor> outputs) =>
            Attestation
                .Decode(
                    Convert.FromBase64String(
                        (
                            await PostAsync<AttestResponse>(verifierUrl, "v1/verify/attest", Show(id, outputs))
                        ).Attestation
                    )
                )
                .Verdict;
        IReadOnlyList<WireTensor> Planted(IReadOnlyList<WireTensor> real) =>
            WireTensors.Encode(
                Roles.Gateway.AuditService.Perturb(WireTensors.Decode(real, null, long.MaxValue, "outputs"))
            );
        var server = verifierUrl.ToString().TrimEnd('/');

        // An audit: the planted output, then the real one; the match uses the commitment up.
        var (audited, real) = await CommittedAsync();
        Assert.Equal(AttestationVerdict.Mismatch, await VerdictAsync(audited, Planted(real)));
        Assert.Equal(AttestationVerdict.Match, await VerdictAsync(audited, real));
        await ExpectAsync(server, "v1/verify/attest", Show(audited, Planted(real)), 404, "NotFound", ct);

        // Two mismatches use it up too: a third output is refused.
        var (probed, outputs) = await CommittedAsync();
        Assert.Equal(AttestationVerdict.Mismatch, await VerdictAsync(probed, Planted(outputs)));
        Assert.Equal(AttestationVerdict.Mismatch, await VerdictAsync(probed, Planted(Planted(outputs))));
        await ExpectAsync(server, "v1/verify/attest", Show(probed, outputs), 404, "NotFound", ct);
    }

    private static async Task ExpectAsync<T>(
        string server,
        string path,
        T body,
        int status,
        string code,
        CancellationToken ct
    )
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(new Uri(server + "/"), path), body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(
            status == (int)response.StatusCode,
            $"{path}: expected {status}, got {(int)response.StatusCode}: {text}"
        );
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
    }

    private async Task PublishAndServeAsync(byte[] model, string name, CancellationToken ct)
    {
        var blobs = _network.Ledger.Services.GetRequiredService<BlobStore>();
        var id = blobs.Put(model);
        using var publisher = _network.User("charlie");
        var signature = new ModelSignature(
            [new TensorSpec("x", TensorElementType.Float, [8])],
            [new TensorSpec("y", TensorElementType.Float, [8])]
        );
        var published = await _network.LedgerClient.SubmitAsync(
            publisher,
            new PublishModelPayload(
                name,
                "1",
                id,
                (ulong)model.Length,
                signature,
                Amount.ParseTokens("0.001"),
                VerificationTolerance.Default
            ),
            ct
        );
        Assert.True((await _network.LedgerClient.WaitAsync(published, ct)).Included);
        foreach (var node in _network.Ledger.Layout.Nodes.Where(n => n.Role == ServerRole.Inference))
        {
            using var owner = DevnetSetup.ColdkeyOf(node.Wallet);
            using var hotkey = DevnetSetup.HotkeyOf(node.Wallet);
            var serve = await _network.LedgerClient.SubmitAsync(
                owner,
                new ServeModelPayload(hotkey.Address, id, true),
                ct
            );
            Assert.True((await _network.LedgerClient.WaitAsync(serve, ct)).Included);
        }
    }
}
