using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;

namespace Veritensor.Node.Tests.Inference;

/// <summary>The gateway draws verifiers locally (no ledger call per request); the draw must be the ledger's own.</summary>
[NetworkTest]
public sealed class LedgerApiClientSelectionTests
{
    private static readonly KeyPair Gateway = KeyPair.FromDevelopmentName("selection-gateway");

    [Fact]
    public async Task The_local_verifier_draw_equals_the_ledgers_selection_for_many_requests()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var network = await InferenceNetwork.StartAsync();
        using var node = new NodeClient(new Uri(network.Ledger.Url + "/"));
        // Verifiers are drawn from the index at the anchor: four blocks past the bootstrap, every anchor below holds them.
        using (var alice = network.User("alice"))
            for (var i = 0; i < 4; i++)
            {
                var sent = await network.LedgerClient.SubmitAsync(
                    alice,
                    new Ledger.Transactions.TransferPayload(network.User("bob").Address, Core.Amount.FromTokens(1)),
                    ct
                );
                Assert.True((await network.LedgerClient.WaitAsync(sent, ct)).Included);
            }
        var head = await network.LedgerClient.GetHeadAsync(fresh: true, ct);
        var parameters = await network.LedgerClient.GetParametersAsync(ct);
        var random = new Random(7);
        var verifiers = (await node.GetNodesAsync(Ledger.Transactions.NodeRoles.Verifier, ct))
            .Nodes.Select(n => Address.Parse(n.Hotkey))
            .Append(Address.Parse("2REVhBadxXJxhovvDLB4xUHHAVZJJZ7BAJvmNcGHKjFwRiSiP82"))
            .ToArray();
        var fullSets = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var requestId = new Hash256(RandomBytes(random));
            // Older anchors too: their hashes come from /v1/blocks, the newest from the cached head.
            var anchor = head.Height - (ulong)(i % 4);
            // Any executor: a verifier's own hotkey too, which the draw must leave out.
            var executor = verifiers[i % verifiers.Length];
            var ticket = DrawTicket.Create(head.ChainId, requestId, Gateway);
            var full = await network.LedgerClient.SelectVerifiersAsync(
                requestId,
                anchor,
                ticket,
                VerificationMode.Full,
                executor,
                ct
            );
            var sampled = await network.LedgerClient.SelectVerifiersAsync(
                requestId,
                anchor,
                ticket,
                VerificationMode.Sampled,
                executor,
                ct
            );
            var ledger = await node.GetVerifierSelectionAsync(requestId, anchor, ticket, executor, ct);
            Assert.Equal(
                ledger.Full.Select(v => (v.Hotkey, v.Endpoint, v.Stake)),
                full.Select(v => (v.Hotkey.ToString(), v.Endpoint, v.Stake.ToString()))
            );
            Assert.Equal(ledger.Sampled.Select(v => v.Hotkey), sampled.Select(v => v.Hotkey.ToString()));
            Assert.DoesNotContain(executor, full.Select(v => v.Hotkey));
            Assert.Equal(parameters.FullVerifiers, full.Count);
            Assert.Empty(
                await network.LedgerClient.SelectVerifiersAsync(
                    requestId,
                    anchor,
                    ticket,
                    VerificationMode.None,
                    executor,
                    ct
                )
            );
            fullSets.Add(string.Join(",", full.Select(v => v.Hotkey)));
        }
        // With 3 verifiers and k = 2 the draws differ between requests: the comparison above covered more than one outcome.
        Assert.True(fullSets.Count > 1);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[Hash256.Size];
        random.NextBytes(bytes);
        return bytes;
    }
}
