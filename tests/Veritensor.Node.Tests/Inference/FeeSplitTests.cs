using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Roles;
using Veritensor.Sdk;

namespace Veritensor.Node.Tests.Inference;

/// <summary>One full-mode request pays the model owner, the executor's owner, each verifier's owner and the treasury exactly their shares.</summary>
[NetworkTest]
public sealed class FeeSplitTests
{
    [Fact]
    public async Task A_verified_request_pays_every_party_exactly_its_share()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var network = await InferenceNetwork.StartAsync();
        using var client = network.Client();
        using var user = network.User("bob");
        var parameters = await network.LedgerClient.GetParametersAsync(ct);
        var price = DevnetInference.DemoModelPrice;

        var modelOwner = DevnetSetup.ColdkeyOf(DevnetSetup.ModelOwnerWallet).Address;
        var roleWallets = network
            .Ledger.Layout.Nodes.Where(n => n.Role is ServerRole.Inference or ServerRole.Verifier)
            .Select(n => n.Wallet)
            .ToArray();
        var ownerOf = roleWallets.ToDictionary(
            w => DevnetSetup.HotkeyOf(w).Address,
            w => DevnetSetup.ColdkeyOf(w).Address
        );
        var watched = ownerOf
            .Values.Append(modelOwner)
            .Append(InferenceParameters.Treasury)
            .Append(user.Address)
            .ToArray();
        var before = new Dictionary<Address, Amount>();
        foreach (var account in watched)
            before[account] = await LedgerReads.BalanceAsync(network.Ledger, account);

        var result = await client.InferAsync(
            user,
            DevnetInference.DemoModelName,
            [DevnetInference.DemoInput()],
            new InferenceOptions { Mode = VerificationMode.Full },
            ct
        );
        Assert.Equal(InferenceStates.Verified, result.State);
        var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(30), ct);
        Assert.Equal(InferenceStates.Final, final.State);

        var ownerShare = InferenceParameters.Share(price, parameters.OwnerShareBps);
        var executorShare = InferenceParameters.Share(price, parameters.ExecutorShareBps);
        var verificationFee = InferenceParameters.Share(price, parameters.VerificationFeeBps);
        var expected = watched.ToDictionary(a => a, _ => 0L);
        expected[modelOwner] += (long)ownerShare.BaseUnits;
        expected[ownerOf[result.Receipt.Executor]] += (long)executorShare.BaseUnits;
        // The treasury takes its share and the rounding dust: the rest of the price.
        expected[InferenceParameters.Treasury] += (long)(price - ownerShare - executorShare).BaseUnits;
        foreach (var attestation in result.Attestations)
            expected[ownerOf[attestation.Verifier]] += (long)verificationFee.BaseUnits;
        expected[user.Address] -= (long)(price + verificationFee + verificationFee).BaseUnits;
        Assert.Equal((long)result.Fee.BaseUnits, -expected[user.Address]);

        foreach (var account in watched)
        {
            var after = await LedgerReads.BalanceAsync(network.Ledger, account);
            Assert.True(
                expected[account] == (long)after.BaseUnits - (long)before[account].BaseUnits,
                $"{account}: expected a change of {expected[account]} base units, got {(long)after.BaseUnits - (long)before[account].BaseUnits}"
            );
        }
        // The shares the treasury gets by rule are at least its basis points of the price.
        Assert.True(
            price - ownerShare - executorShare >= InferenceParameters.Share(price, parameters.TreasuryShareBps)
        );
    }
}
