using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Ledger.Tests.Support;

/// <summary>
/// A state (an overlay over the default test genesis plus the accounts below) with one published model
/// (owned by alice, price 1.000000007 tokens so the split leaves dust), one executor node serving it and
/// <see cref="VerifierCount"/> verifier nodes, each node with 100 tokens staked by its own coldkey. Transactions run
/// as block <see cref="Height"/>; block h's hash is <see cref="BlockHash"/>(h) for every h below it.
/// </summary>
internal sealed class InferenceWorld
{
    public const string ChainId = TestChain.ChainId;
    public const ulong NodeStakeTokens = 100;
    public const ulong Anchor = 5;
    public static readonly Amount Price = new(1_000_000_007);
    public static KeyPair User { get; } = KeyPair.FromDevelopmentName("inference-user");
    public static KeyPair ModelOwner => Keys.Alice;
    public static KeyPair ExecutorCold { get; } = KeyPair.FromDevelopmentName("executor-cold");
    public static KeyPair Executor { get; } = KeyPair.FromDevelopmentName("executor-hot");
    public static KeyPair Reporter { get; } = KeyPair.FromDevelopmentName("reporter");
    public static KeyPair[] VerifierColds { get; } =
        Enumerable.Range(0, 8).Select(i => KeyPair.FromDevelopmentName($"verifier-cold-{i}")).ToArray();
    public static KeyPair[] Verifiers { get; } =
        Enumerable.Range(0, 8).Select(i => KeyPair.FromDevelopmentName($"verifier-hot-{i}")).ToArray();
    public static Hash256 ModelId { get; } = Hash256.Compute("model-file"u8);
    public static Hash256 Input { get; } = Hash256.Compute("input"u8);
    public static Hash256 Output { get; } = Hash256.Compute("output"u8);
    public static Hash256 Profile { get; } = Hash256.Compute("profile"u8);
    public static ModelSignature ModelSig { get; } =
        new(
            [new TensorSpec("x", TensorElementType.Float, [-1, 4])],
            [new TensorSpec("y", TensorElementType.Float, [-1, 2])]
        );

    private readonly ChainParameters _parameters;

    public InferenceWorld(int verifierCount = 6, GenesisInference? inference = null)
    {
        VerifierCount = verifierCount;
        var genesis = TestChain.DefaultGenesis();
        genesis.Inference = inference;
        foreach (var key in new[] { User, ExecutorCold, Reporter }.Concat(VerifierColds))
            genesis.Balances.Add(new() { Address = key.Address.ToString(), Amount = "1000" });
        var (_, changes, parameters) = GenesisState.Build(genesis);
        _parameters = parameters;
        World.Apply(changes);
        State = new StateOverlay(World);
        Height = 1;
        Run(
            ExecutorCold,
            RegisterNodePayload.Create(
                ChainId,
                ExecutorCold.Address,
                Executor,
                NodeRoles.Inference,
                "https://executor.example"
            )
        );
        Run(
            ExecutorCold,
            new StakePayload(TransactionKind.AddStake, Executor.Address, Amount.FromTokens(NodeStakeTokens))
        );
        for (var i = 0; i < verifierCount; i++)
        {
            Run(
                VerifierColds[i],
                RegisterNodePayload.Create(
                    ChainId,
                    VerifierColds[i].Address,
                    Verifiers[i],
                    NodeRoles.Verifier,
                    $"https://verifier{i}.example"
                )
            );
            Run(
                VerifierColds[i],
                new StakePayload(TransactionKind.AddStake, Verifiers[i].Address, Amount.FromTokens(NodeStakeTokens))
            );
        }
        Run(ModelOwner, Publish("resnet", "1.0", ModelId));
        Run(ExecutorCold, new ServeModelPayload(Executor.Address, ModelId, true));
        Height = 10;
    }

    public int VerifierCount { get; }
    public WorldState World { get; } = new();
    public StateOverlay State { get; }
    public ulong Height { get; set; }
    public InferenceParameters Parameters => State.GetInferenceParameters();
    public Amount VerificationFee => Parameters.VerificationFee(Price);

    public static Hash256 BlockHash(ulong height) => Hash256.Compute(BitConverter.GetBytes(height));

    public BlockContext Block =>
        new(ChainId, Height, TestChain.GenesisTime + (long)Height * 1000, Keys.Validator.Address, _parameters, h =>
            h < Height ? BlockHash(h) : null
        );

    public static PublishModelPayload Publish(string name, string version, Hash256 contentId, Amount? price = null) =>
        new(name, version, contentId, 1234, ModelSig, price ?? Price, VerificationTolerance.Default);

    public SignedTransaction Sign(KeyPair sender, TransactionPayload payload) =>
        Tx.Sign(sender, State.GetAccount(sender.Address).Nonce, payload);

    public void Run(KeyPair sender, TransactionPayload payload) =>
        TransactionExecutor.Execute(State, Sign(sender, payload), Block);

    /// <summary>Runs a transaction that must fail with <paramref name="code"/>, and checks it changed nothing.</summary>
    public LedgerException Rejected(KeyPair sender, TransactionPayload payload, ErrorCode code)
    {
        var before = StateSnapshot.Of(State);
        var signed = Sign(sender, payload);
        var e = Assert.Throws<LedgerException>(() => TransactionExecutor.Execute(State, signed, Block));
        Assert.True(code == e.Code, $"expected {code}, got {e.Code}: {e.Message}");
        Assert.Equal(before, StateSnapshot.Of(State));
        return e;
    }

    public static KeyPair KeyOf(Address verifier) => Verifiers.Single(v => v.Address == verifier);

    public static Address ColdOf(Address hotkey) =>
        hotkey == Executor.Address
            ? ExecutorCold.Address
            : VerifierColds[Array.FindIndex(Verifiers, v => v.Address == hotkey)].Address;

    public IReadOnlyList<Address> Selected(Hash256 requestId, int count, ulong anchor = Anchor) =>
        VerifierSelection.Draw(
            VerifierSelection.Candidates(State, Parameters.MinNodeStake),
            VerifierSelection.Seed(requestId, BlockHash(anchor)),
            count,
            new HashSet<Address> { Executor.Address }
        );

    public IReadOnlyList<Address> Quorum(Hash256 disputeId) =>
        VerifierSelection.DisputeQuorum(State, disputeId, State.GetDispute(disputeId)!, Parameters);

    public static InferenceRequest Request(
        VerificationMode mode,
        ulong nonce,
        ulong anchor = Anchor,
        Amount? maxFee = null
    ) => new(User.Address, ModelId, Input, mode, maxFee ?? Amount.FromTokens(100), anchor, nonce);

    public static Attestation Attest(
        Hash256 requestId,
        AttestationVerdict verdict,
        KeyPair verifier,
        Hash256? executorOutput = null,
        Hash256? modelId = null
    ) =>
        Attestation.Create(
            ChainId,
            requestId,
            modelId ?? ModelId,
            Input,
            executorOutput ?? Output,
            verdict == AttestationVerdict.Match ? executorOutput ?? Output : Hash256.Compute("other"u8),
            Profile,
            verdict,
            0x3EB0C6F7A0B5ED8D,
            3,
            verifier
        );

    /// <summary>
    /// A complete, valid record for <paramref name="request"/>: the receipt, the ticket (sampled) and an attestation from
    /// every selected verifier that may attest, with <paramref name="verdict"/>'s verdict (match by default).
    /// </summary>
    public InferenceRecord Record(InferenceRequest request, Func<int, AttestationVerdict>? verdict = null)
    {
        var id = request.Id(ChainId);
        var receipt = InferenceReceipt.Create(
            ChainId,
            id,
            request.ModelId,
            request.InputHash,
            Output,
            Profile,
            1234,
            Executor
        );
        var count = VerifierSelection.VerifierCount(request.Mode, Parameters);
        var selected = Selected(id, count, request.AnchorHeight);
        Signature? ticket = null;
        if (request.Mode == VerificationMode.Sampled)
        {
            // With no verifier to select, sign by an unregistered one: the ledger must refuse the record anyway.
            ticket = SampleTicket.Create(ChainId, id, selected.Count > 0 ? KeyOf(selected[0]) : Verifiers[^1]);
            if (!SampleTicket.IsDrawn(ticket.Value, Parameters.SamplingRatePpm))
                selected = [];
        }
        var attestations = selected
            .Select(
                (v, i) => Attest(id, verdict?.Invoke(i) ?? AttestationVerdict.Match, KeyOf(v), modelId: request.ModelId)
            )
            .ToArray();
        return new InferenceRecord(
            SignedInferenceRequest.Create(ChainId, request, User),
            receipt,
            ticket,
            attestations
        );
    }

    public InferenceRecord Record(VerificationMode mode, ulong nonce, Func<int, AttestationVerdict>? verdict = null) =>
        Record(Request(mode, nonce), verdict);

    /// <summary>A nonce from <paramref name="from"/> on whose sampled request the ticket is (or is not) drawn.</summary>
    public ulong SampledNonce(bool drawn, ulong from = 1000)
    {
        for (var nonce = from; ; nonce++)
        {
            var id = Request(VerificationMode.Sampled, nonce).Id(ChainId);
            var ticket = SampleTicket.Create(ChainId, id, KeyOf(Selected(id, 1)[0]));
            if (SampleTicket.IsDrawn(ticket, Parameters.SamplingRatePpm) == drawn)
                return nonce;
        }
    }

    /// <summary>Every token the state holds: balances, stakes, subnet locks and open dispute escrow.</summary>
    public Amount Supply()
    {
        var keys = World.Entries.Select(e => e.Key).Concat(State.Changes.Keys).Distinct(ByteArrayComparer.Instance);
        var total = Amount.Zero;
        foreach (var key in keys)
        {
            if (State.Get(key) is not { } value)
                continue;
            total += key[0] switch
            {
                StateKeys.AccountNamespace => AccountState.Decode(value).Balance,
                StateKeys.StakeNamespace => new Amount(BitConverter.ToUInt64(value)),
                StateKeys.DisputeNamespace => Dispute.Decode(value) is { Outcome: DisputeOutcome.Pending } open
                    ? open.Escrow
                    : Amount.Zero,
                _ => Amount.Zero,
            };
        }
        return total;
    }

    public Amount Balance(Address address) => State.GetAccount(address).Balance;
}
