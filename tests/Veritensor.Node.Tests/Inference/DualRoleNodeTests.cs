using Microsoft.Extensions.DependencyInjection;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles.Execution;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// A node registered with both the inference and the verifier role, behind the gateway. The ledger never lets a node
/// verify its own request, so the gateway must draw its verifiers the same way; a gateway that drew without that
/// exclusion had whole records refused (<c>VerifierNotSelected</c>).
/// </summary>
[NetworkTest]
public sealed class DualRoleNodeTests
{
    private const string DualRole = "inference-0";
    private const string Other = "inference-1";

    private static readonly Address Nobody = KeyPair.FromDevelopmentName("nobody").Address;

    [Fact]
    public async Task Every_full_mode_request_executed_by_a_dual_role_node_is_recorded_and_it_never_verifies_its_own()
    {
        var ct = TestContext.Current.CancellationToken;
        // The other inference node fails, so the dual-role node executes every request (the first one after a retry,
        // whose verifiers the gateway draws again for the new executor).
        await using var network = await InferenceNetwork.StartAsync(
            (node, options) =>
            {
                if (node.Name == DualRole)
                    options.AlsoVerify = true;
            },
            (node, services) =>
            {
                if (node.Name == Other)
                    services.AddSingleton<IModelRunner>(new FailingRunner());
            }
        );
        using var dual = DevnetSetup.HotkeyOf(network.Ledger.Layout.Nodes.Single(n => n.Name == DualRole).Wallet);
        var registered = await network.LedgerClient.GetNodeAsync(dual.Address, fresh: true, ct);
        Assert.Equal(NodeRoles.Inference | NodeRoles.Verifier, registered!.Value.Roles);

        using var node = new NodeClient(new Uri(network.Ledger.Url + "/"));
        using var client = network.Client();
        using var user = network.User("bob");
        var drawnWithoutExclusion = 0;
        for (var i = 0; i < 12; i++)
        {
            var result = await client.InferAsync(
                user,
                $"{DevnetInference.DemoModelName}@{DevnetInference.DemoModelVersion}",
                [DevnetInference.DemoInput()],
                new InferenceOptions { Mode = VerificationMode.Full, Nonce = 500 + (ulong)i },
                ct
            );
            Assert.Equal(dual.Address, result.Receipt.Executor);
            Assert.Equal(InferenceStates.Verified, result.State);
            Assert.Equal(2, result.Attestations.Count);
            Assert.DoesNotContain(dual.Address, result.Attestations.Select(a => a.Verifier));

            // The record lands: the gateway drew exactly the verifiers the ledger draws for this executor.
            var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(30), ct);
            Assert.Equal(InferenceStates.Final, final.State);
            Assert.Null(final.Error);

            // The same draw for an executor that is nobody's node excludes nothing.
            var unexcluded = await node.GetVerifierSelectionAsync(
                result.RequestId,
                result.Request.Request.AnchorHeight,
                result.DrawTicket,
                Nobody,
                ct
            );
            if (unexcluded.Full.Any(v => v.Hotkey == dual.Address.ToString()))
                drawnWithoutExclusion++;
        }
        // A draw that forgot the exclusion would have picked the executor for some of these requests, and the ledger
        // would have refused their records: the requests above did cover that case.
        Assert.True(drawnWithoutExclusion > 0, "no request would have drawn its own executor; the test proves nothing");
    }

    private sealed class FailingRunner : IModelRunner
    {
        public Hash256 ProfileHash { get; } = Hash256.Compute("failing"u8);

        public Task<IReadOnlyList<NamedTensor>> RunAsync(
            LedgerModel model,
            IReadOnlyList<NamedTensor> inputs,
            CancellationToken cancellationToken
        ) => throw new InvalidOperationException("this node's runtime is broken");
    }
}
