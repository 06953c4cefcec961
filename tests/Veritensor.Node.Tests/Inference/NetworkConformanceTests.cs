using Microsoft.Extensions.DependencyInjection;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Conformance;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Inference.Tests;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// ONNX backend node test cases through the whole network path: each model is published on the ledger and served
/// by both inference nodes, its inputs go through the SDK, the gateway, an inference node (and, for a subset, two
/// verifiers), and the outputs that come back must match the golden outputs under the backend runner's rule
/// |a − b| ≤ 1e-7 + 1e-3·|expected|. Wire encoding, signatures, validation and execution all sit on that path.
/// </summary>
[NetworkTest]
public sealed class NetworkConformanceTests
{
    /// <summary>Every 4th eligible case in name order: about 200 cases that spread over the whole operator set.</summary>
    private const int Stride = 4;
    private const int MinimumCases = 150;

    /// <summary>Every 8th selected case also runs in full mode (two verifiers re-execute it).</summary>
    private const int FullModeEvery = 8;
    private static readonly Amount Price = Amount.ParseTokens("0.000001");

    private sealed record Case(
        string Name,
        string ModelName,
        byte[] Model,
        Hash256 ContentId,
        ModelSignature Signature,
        IReadOnlyList<NamedTensor> Inputs,
        IReadOnlyList<NamedTensor> Expected
    );

    [Fact]
    public async Task Onnx_node_cases_through_the_gateway_match_their_golden_outputs()
    {
        var suite = TestData.RequireOnnxNodeSuite();
        var ct = TestContext.Current.CancellationToken;
        var cases = SelectCases(suite);
        Assert.True(
            cases.Count >= MinimumCases,
            $"only {cases.Count} cases selected; expected at least {MinimumCases}"
        );

        await using var network = await InferenceNetwork.StartAsync();
        await PublishAndServeAsync(network, cases);

        using var client = network.Client();
        using var user = network.User("bob");
        var tolerance = VerificationTolerance.FromDoubles(
            OnnxTestCase.BackendAbsoluteTolerance,
            OnnxTestCase.BackendRelativeTolerance,
            0
        );
        var failures = new List<string>();
        var fullMode = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var testCase = cases[i];
            var mode = i % FullModeEvery == 0 ? VerificationMode.Full : VerificationMode.None;
            try
            {
                var result = await client.InferAsync(
                    user,
                    testCase.ModelName + "@1",
                    testCase.Inputs,
                    new InferenceOptions { Mode = mode },
                    ct
                );
                var comparison = OutputComparer.Compare(
                    testCase.Expected,
                    result.Outputs,
                    tolerance,
                    sameProfile: false
                );
                if (!comparison.Match)
                    failures.Add($"{testCase.Name}: {comparison.FirstMismatch}");
                else if (mode == VerificationMode.Full)
                {
                    fullMode++;
                    if (result.State != InferenceStates.Verified)
                        failures.Add($"{testCase.Name}: full mode ended {result.State}");
                }
            }
            catch (Exception e) when (e is InferenceClientException or InferenceVerificationException)
            {
                failures.Add($"{testCase.Name} ({mode}): {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {cases.Count} cases failed through the network:\n" + string.Join("\n", failures)
        );
        Assert.True(fullMode >= cases.Count / FullModeEvery);
        TestContext.Current.SendDiagnosticMessage(
            $"Network conformance: {cases.Count} cases passed, {fullMode} of them verified in full mode"
        );
    }

    /// <summary>
    /// Every <see cref="Stride"/>th case (opset ≥ 7, not excluded) in name order that passes the in-process
    /// conformance check, so a failure here is the network's, not ONNX Runtime's. Duplicate model files are skipped
    /// (a content id is published once).
    /// </summary>
    private static List<Case> SelectCases(string suite)
    {
        var tolerance = VerificationTolerance.FromDoubles(
            OnnxTestCase.BackendAbsoluteTolerance,
            OnnxTestCase.BackendRelativeTolerance,
            0
        );
        var eligible = OnnxTestCase
            .Discover(suite)
            .Where(c => c.Opset >= 7 && ConformanceExclusions.Reason(c.Name) is null)
            .Where((_, index) => index % Stride == 0);
        var selected = new List<Case>();
        var seen = new HashSet<Hash256>();
        using var executor = new OnnxExecutor();
        foreach (var testCase in eligible)
        {
            try
            {
                var bytes = File.ReadAllBytes(testCase.ModelPath);
                var id = Hash256.Compute(bytes);
                if (!seen.Add(id))
                    continue;
                var signature = executor.Load(id, bytes);
                var inputs = testCase.LoadInputs(signature);
                var expected = testCase.LoadExpectedOutputs(signature);
                if (!OutputComparer.Compare(expected, executor.Run(id, inputs), tolerance, sameProfile: false).Match)
                    continue;
                selected.Add(new Case(testCase.Name, ModelName(testCase.Name), bytes, id, signature, inputs, expected));
            }
            catch (Exception e)
                when (e
                        is ModelLoadException
                            or InputValidationException
                            or InferenceException
                            or TensorFormatException
                            or ArgumentException
                )
            {
                // Sequence/optional I/O and the like: not a tensor case, not part of this sweep (the in-process sweep accounts for them).
            }
        }
        Assert.Equal(selected.Count, selected.Select(c => c.ModelName).Distinct().Count());
        return selected;
    }

    /// <summary>test_Cast_FLOAT_to_DOUBLE → onnx-cast_float_to_double: the ledger's name rule is [a-z0-9][a-z0-9._-]{0,63}.</summary>
    private static string ModelName(string caseName)
    {
        var name = "onnx-" + caseName["test_".Length..].ToLowerInvariant();
        name = name.Length > 64 ? name[..64] : name;
        Assert.True(ModelNames.IsValidName(name), $"{caseName} maps to an invalid model name {name}");
        return name;
    }

    /// <summary>Uploads every model to the ledger node's blob store, publishes them, and has both inference nodes serve them.</summary>
    private static async Task PublishAndServeAsync(InferenceNetwork network, List<Case> cases)
    {
        var ct = TestContext.Current.CancellationToken;
        var blobs = network.Ledger.Services.GetRequiredService<BlobStore>();
        using var publisher = network.User("charlie");
        var pending = new List<Hash256>();
        foreach (var testCase in cases)
        {
            Assert.Equal(testCase.ContentId, blobs.Put(testCase.Model));
            pending.Add(
                await network.LedgerClient.SubmitAsync(
                    publisher,
                    new PublishModelPayload(
                        testCase.ModelName,
                        "1",
                        testCase.ContentId,
                        (ulong)testCase.Model.Length,
                        testCase.Signature,
                        Price,
                        VerificationTolerance.Default
                    ),
                    ct
                )
            );
        }
        await WaitAllAsync(network, pending, cases);
        foreach (var node in network.Ledger.Layout.Nodes.Where(n => n.Role == ServerRole.Inference))
        {
            using var owner = Cli.Devnet.DevnetSetup.ColdkeyOf(node.Wallet);
            using var hotkey = Cli.Devnet.DevnetSetup.HotkeyOf(node.Wallet);
            foreach (var testCase in cases)
                pending.Add(
                    await network.LedgerClient.SubmitAsync(
                        owner,
                        new ServeModelPayload(hotkey.Address, testCase.ContentId, true),
                        ct
                    )
                );
        }
        await WaitAllAsync(network, pending, cases);
    }

    private static async Task WaitAllAsync(InferenceNetwork network, List<Hash256> pending, List<Case> cases)
    {
        var outcomes = await Task.WhenAll(
            pending.Select(id => network.LedgerClient.WaitAsync(id, TestContext.Current.CancellationToken))
        );
        pending.Clear();
        var dropped = outcomes.Where(o => !o.Included).Select(o => $"{o.TransactionId}: {o.Error}").ToArray();
        Assert.True(
            dropped.Length == 0,
            $"{dropped.Length} transactions for {cases.Count} models were dropped:\n" + string.Join("\n", dropped)
        );
    }
}
