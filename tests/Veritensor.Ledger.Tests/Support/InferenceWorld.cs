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

    /// <summary>The gateway every request names, and so the only account that may record it.</summary>
    public static KeyPair Gateway => Keys.Bob;
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

    /// <summary>The genesis of this world's state, which its transactions sign.</summary>
    public Hash256 GenesisHash { get; }

    public InferenceWorld(int verifierCount = 6, GenesisInference? inference = null)
    {
        VerifierCount = verifierCount;
        var genesis = TestChain.DefaultGenesis();
        genesis.Inference = inference;
        // Room for a batch of several full-mode records, which the batch tests need in one transaction.
        genesis.Parameters.MaxTransactionBytes = 8192;
        foreach (var key in new[] { User, ExecutorCold, Reporter }.Concat(VerifierColds))
            genesis.Balances.Add(new() { Address = key.Address.ToString(), Amount = "1000" });
        var (block, changes, parameters) = GenesisState.Build(genesis);
        _parameters = parameters;
        GenesisHash = block.Hash;
        Tx.CurrentGenesis = GenesisHash;
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

    /// <summary>The block transactions run in; moving it ends the current block (<see cref="VerifierHistory.EndBlock"/>), as a chain would.</summary>
    public ulong Height
    {
        get => _height;
        set
        {
            if (value != _height)
                VerifierHistory.EndBlock(State, _height);
            _height = value;
        }
    }

    private ulong _height;
    public InferenceParameters Parameters => State.GetInferenceParameters();
    public Amount VerificationFee => Parameters.VerificationFee(Price);

    public static Hash256 BlockHash(ulong height) => Hash256.Compute(BitConverter.GetBytes(height));

    public BlockContext Block =>
        new(
            ChainId,
            GenesisHash,
            Height,
            TestChain.GenesisTime + (long)Height * 1000,
            Keys.Validator.Address,
            _parameters,
            h => h < Height ? BlockHash(h) : null
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

    public static Signature Ticket(Hash256 requestId, KeyPair? gateway = null) =>
        DrawTicket.Create(ChainId, requestId, gateway ?? Gateway);

    public static RequestDraw Draw(Hash256 requestId, ulong anchor = Anchor, KeyPair? gateway = null) =>
        new(requestId, BlockHash(anchor), Ticket(requestId, gateway), Executor.Address, ExecutorCold.Address);

    /// <summary>The first <paramref name="count"/> verifiers of the request's draw order, sampled or not.</summary>
    public IReadOnlyList<Address> Selected(Hash256 requestId, int count, ulong anchor = Anchor) =>
        VerifierSelection.Draw(
            CandidatesAt(anchor),
            VerifierSelection.Seed(requestId, BlockHash(anchor), Ticket(requestId)),
            count,
            new HashSet<Address> { Executor.Address }
        );

    /// <summary>
    /// The verifier index at anchor block <paramref name="anchor"/>, which a record in the current block draws from; the
    /// index now for an anchor the ledger would refuse anyway (so tests of broken anchors can still build a record).
    /// </summary>
    public IReadOnlyList<VerifierCandidate> CandidatesAt(ulong anchor) =>
        anchor < Height && Height - anchor <= Parameters.AnchorWindow
            ? VerifierHistory.CandidatesAt(State, anchor, Height)
            : VerifierSelection.Candidates(State);

    /// <summary>The verifiers whose attestations a record of <paramref name="request"/> must carry.</summary>
    public IReadOnlyList<Address> Required(InferenceRequest request, KeyPair? gateway = null) =>
        VerifierSelection.ForRequest(
            CandidatesAt(request.AnchorHeight),
            Draw(request.Id(ChainId), request.AnchorHeight, gateway),
            request.Mode,
            Parameters
        );

    /// <summary>
    /// The dispute's quorum. It hangs on the hash of the block that opened the dispute, known only once that block is
    /// committed, so this moves the world to the next block when it still is the opening block.
    /// </summary>
    public IReadOnlyList<Address> Quorum(Hash256 disputeId)
    {
        var dispute = State.GetDispute(disputeId)!;
        if (Height <= dispute.OpenedAt)
            Height = dispute.OpenedAt + 1;
        return VerifierSelection.DisputeQuorum(State, disputeId, dispute, BlockHash(dispute.OpenedAt), Parameters);
    }

    public static InferenceRequest Request(
        VerificationMode mode,
        ulong nonce,
        ulong anchor = Anchor,
        Amount? maxFee = null
    ) =>
        new(
            User.Address,
            Gateway.Address,
            ModelId,
            Input,
            mode,
            maxFee ?? Amount.FromTokens(100),
            anchor,
            BlockHash(anchor),
            nonce
        );

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

    /// <summary>A dispute quorum member's vote: <see cref="Attest"/>'s fields, signed in the vote domain.</summary>
    public static Attestation Vote(
        Hash256 requestId,
        AttestationVerdict verdict,
        KeyPair verifier,
        Hash256? executorOutput = null
    ) => Attestation.CreateVote(ChainId, Attest(requestId, verdict, verifier, executorOutput), verifier);

    /// <summary>
    /// A complete, valid record for <paramref name="request"/>: the receipt, the gateway's draw ticket and an attestation
    /// from every verifier the draw requires, with <paramref name="verdict"/>'s verdict (match by default).
    /// </summary>
    public InferenceRecord Record(
        InferenceRequest request,
        Func<int, AttestationVerdict>? verdict = null,
        KeyPair? user = null,
        KeyPair? gateway = null
    )
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
        var attestations = Required(request, gateway)
            .Select(
                (v, i) => Attest(id, verdict?.Invoke(i) ?? AttestationVerdict.Match, KeyOf(v), modelId: request.ModelId)
            )
            .ToArray();
        return new InferenceRecord(
            SignedInferenceRequest.Create(ChainId, request, user ?? User),
            receipt,
            Ticket(id, gateway),
            attestations
        );
    }

    /// <summary>
    /// What a live audit reports: a full-mode request through <paramref name="gateway"/> (default <see cref="Reporter"/>) as its gateway, recorded by it, and
    /// <paramref name="verifier"/>'s signed match of a planted wrong output of that request.
    /// </summary>
    public ReportAttestationPayload Audited(KeyPair verifier, ulong nonce, KeyPair? gateway = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        gateway ??= Reporter;
        var request = Request(VerificationMode.Full, nonce, anchor: Height - 1) with { Gateway = gateway.Address };
        Run(gateway, new RecordInferencePayload([Record(request, gateway: gateway)], Batch: false));
        var evidence = Attest(
            request.Id(ChainId),
            AttestationVerdict.Match,
            verifier,
            Hash256.Compute("planted wrong output"u8)
        );
        return new ReportAttestationPayload(evidence, request);
    }

    public InferenceRecord Record(VerificationMode mode, ulong nonce, Func<int, AttestationVerdict>? verdict = null) =>
        Record(Request(mode, nonce), verdict);

    /// <summary>A nonce from <paramref name="from"/> whose sampled request the draw does (or does not) sample.</summary>
    public ulong SampledNonce(bool drawn, ulong from = 1000)
    {
        for (var nonce = from; ; nonce++)
        {
            var id = Request(VerificationMode.Sampled, nonce).Id(ChainId);
            if (VerifierSelection.NeedsVerification(Draw(id), VerificationMode.Sampled, Parameters) == drawn)
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
