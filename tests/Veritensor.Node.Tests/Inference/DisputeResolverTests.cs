using Microsoft.Extensions.Logging.Abstractions;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles;
using Veritensor.Node.Roles.Gateway;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// The resolver against a scripted ledger whose dispute quorum is empty, so every resolution is refused for lack of a
/// majority: it tries <see cref="DisputeResolver.ResolveAttempts"/> rounds, then expires the dispute exactly once when
/// the next block reaches the first allowed one, and stops when cancelled while it waits.
/// </summary>
[UnitTest]
public sealed class DisputeResolverTests
{
    private static readonly Hash256 DisputeId = Hash256.Compute("stuck dispute"u8);
    private static readonly LedgerModel Model = new(
        Hash256.Compute("model"u8),
        "m",
        "1",
        KeyPair.FromDevelopmentName("owner").Address,
        1,
        new ModelSignature([], []),
        Amount.Zero,
        VerificationTolerance.Default
    );

    /// <summary>A ledger whose head advances one block per read; it refuses every resolution and includes every expiry.</summary>
    private sealed class ScriptedLedger(ulong expirableFrom, Action? onHeadRead = null) : IInferenceLedger
    {
        private ulong _height = 1;
        private DisputeOutcome _outcome = DisputeOutcome.Pending;
        public int Resolutions { get; private set; }
        public List<ulong> ExpiriesSentBeforeBlock { get; } = [];

        public Task<LedgerHead> GetHeadAsync(bool fresh, CancellationToken cancellationToken)
        {
            onHeadRead?.Invoke();
            return Task.FromResult(new LedgerHead("test", Hash256.Zero, _height++, Hash256.Zero, 4096));
        }

        public Task<LedgerDispute?> GetDisputeAsync(Hash256 disputeId, CancellationToken cancellationToken) =>
            Task.FromResult<LedgerDispute?>(
                new LedgerDispute(
                    disputeId,
                    _outcome,
                    1,
                    expirableFrom,
                    Hash256.Zero,
                    Hash256.Zero,
                    Hash256.Zero,
                    Hash256.Zero
                )
            );

        public Task<IReadOnlyList<LedgerNode>> GetDisputeQuorumAsync(
            Hash256 disputeId,
            CancellationToken cancellationToken
        ) => Task.FromResult<IReadOnlyList<LedgerNode>>([]);

        public Task<Hash256> SubmitAsync(
            KeyPair signer,
            TransactionPayload payload,
            CancellationToken cancellationToken
        )
        {
            switch (payload)
            {
                case ResolveDisputePayload:
                    Resolutions++;
                    throw new NodeClientException("0 mismatch and 0 match votes", "NoQuorumMajority", 422);
                case ExpireDisputePayload expire:
                    Assert.Equal(DisputeId, expire.DisputeId);
                    ExpiriesSentBeforeBlock.Add(_height);
                    _outcome = DisputeOutcome.Expired;
                    return Task.FromResult(Hash256.Compute("expiry"u8));
                default:
                    throw new InvalidOperationException($"unexpected {payload.Kind}");
            }
        }

        public Task<LedgerSubmission> WaitAsync(Hash256 transactionId, CancellationToken cancellationToken) =>
            Task.FromResult(new LedgerSubmission(transactionId, true, _height, null));

        public Task<LedgerModel?> FindModelAsync(string reference, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Hash256> GetBlockHashAsync(ulong height, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<LedgerNode>> GetServersAsync(Hash256 modelId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<InferenceParameters> GetParametersAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<LedgerNode>> SelectVerifiersAsync(
            Hash256 requestId,
            ulong anchorHeight,
            Signature drawTicket,
            VerificationMode mode,
            Address executor,
            CancellationToken cancellationToken
        ) => throw new NotSupportedException();

        public Task<(LedgerNode Node, NodeRoles Roles)?> GetNodeAsync(
            Address hotkey,
            bool fresh,
            CancellationToken cancellationToken
        ) => throw new NotSupportedException();

        public Task<Amount> GetBalanceAsync(Address account, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<LedgerRecordView?> GetRecordAsync(Hash256 requestId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private static DisputeResolver Resolver(IInferenceLedger ledger, RoleIdentity identity, RoleHttp http) =>
        new(
            identity,
            ledger,
            http,
            new InferenceResultStore(new RoleOptions()),
            TimeProvider.System,
            NullLogger<DisputeResolver>.Instance
        );

    [Fact]
    public async Task Without_a_majority_it_retries_then_expires_once_the_next_block_may_expire_the_dispute()
    {
        var ledger = new ScriptedLedger(expirableFrom: 4);
        using var identity = new RoleIdentity(KeyPair.FromDevelopmentName("gateway"), "test");
        using var http = new RoleHttp(new RoleOptions());
        var settlement = await Resolver(ledger, identity, http)
            .SettleAsync(DisputeId, DisputeId, Model, [], [], TestContext.Current.CancellationToken);

        Assert.Equal(new DisputeSettlement(true, DisputeOutcome.Expired, null), settlement);
        Assert.Equal(DisputeResolver.ResolveAttempts, ledger.Resolutions);
        // Heads 1 and 2 are too early (their next blocks are 2 and 3); at head 3 the next block is 4, the first allowed.
        Assert.Equal([4UL], ledger.ExpiriesSentBeforeBlock);
    }

    [Fact]
    public async Task Cancellation_stops_it_while_it_waits_for_the_window_and_nothing_is_expired()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var ledger = new ScriptedLedger(expirableFrom: 1_000_000, onHeadRead: cancel.Cancel);
        using var identity = new RoleIdentity(KeyPair.FromDevelopmentName("gateway"), "test");
        using var http = new RoleHttp(new RoleOptions());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Resolver(ledger, identity, http).SettleAsync(DisputeId, DisputeId, Model, [], [], cancel.Token)
        );
        Assert.Equal(DisputeResolver.ResolveAttempts, ledger.Resolutions);
        Assert.Empty(ledger.ExpiriesSentBeforeBlock);
    }
}
