namespace Veritensor.Consensus;

/// <summary>
/// One Yuma Consensus epoch exactly as subtensor's production <c>epoch()</c> (sparse matrices) computes it; the
/// section numbers refer to docs/yuma-spec.md. Pure: the caller stores <see cref="EpochResult.Bonds"/> and
/// <see cref="EpochResult.NewValidatorPermit"/> and hands them back to the next epoch.
/// </summary>
public static class YumaEpoch
{
    private static readonly I32F32 U16Max = I32F32.FromInt(ushort.MaxValue);

    public static EpochResult Run(EpochInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var n = input.N;
        var p = input.Parameters;
        var block = input.Block;
        var owner = p.OwnerUid is { } o && o >= 0 && o < n ? o : -1;

        // 5.1 activity and the "registered since the last epoch" bond mask.
        var inactive = new bool[n];
        for (var i = 0; i < n; i++)
            inactive[i] = Saturating(input.LastUpdate[i], p.ActivityCutoff) < block;
        var lastTempo =
            p.LastMechanismStepBlock == 0 ? (block > p.Tempo ? block - p.Tempo : 0) : p.LastMechanismStepBlock + 1;

        // 5.2 stake: threshold (the owner is exempt), normalise in I64F64, narrow to I32F32.
        var stake64 = new I64F64[n];
        for (var i = 0; i < n; i++)
        {
            var raw = input.Stake[i];
            var belowThreshold = raw.Floor() < (Int128)p.StakeThreshold;
            stake64[i] = i != owner && belowThreshold ? I64F64.Zero : raw;
        }
        YumaMath.Normalize64(stake64);
        var stake = Array.ConvertAll(stake64, s => s.ToI32F32());

        // 5.3 permits: masking uses the stored ones (owner forced); the new ones are top-K non-zero stake.
        var permits = (bool[])input.ValidatorPermit.Clone();
        if (owner >= 0)
            permits[owner] = true;
        var newPermits = YumaMath.IsTopKNonzero(stake, p.MaxAllowedValidators);
        if (owner >= 0)
            newPermits[owner] = true;

        // 5.4 active stake.
        var activeStake = (I32F32[])stake.Clone();
        for (var i = 0; i < n; i++)
            if (inactive[i] || !permits[i])
                activeStake[i] = I32F32.Zero;
        YumaMath.Normalize(activeStake);

        // 5.5 weights: masks, then row normalisation.
        var weights = MaskedRowNormalizedWeights(input, permits, owner);

        // 5.6 consensus.
        var kappa = I32F32.FromInt(p.Kappa).SafeDiv(U16Max);
        var consensus = WeightedMedian.ColumnsSparse(activeStake, weights, n, kappa);

        // 5.7 clipping, validator trust, incentive.
        // With bonds penalty 1 the unclipped weights are never read again: clip them in place.
        var bondsPenalty = I32F32.FromInt(p.BondsPenalty).SafeDiv(U16Max);
        var clipped = YumaMath.ColClipRowSumMatMulSparse(
            weights,
            consensus,
            activeStake,
            inPlace: bondsPenalty == I32F32.One,
            out var validatorTrust,
            out var incentive
        );
        // With bonds penalty 1 the classic delta is the clipped weights times active stake, so its column sums are
        // these stake-weighted column sums of the clipped weights (same products, same order) before normalising.
        var clippedStakeColumnSums = bondsPenalty == I32F32.One && !p.Yuma3 ? (I32F32[])incentive.Clone() : null;
        YumaMath.Normalize(incentive);

        // 5.8 weights used for bonds.
        // Neither matrix is read again and the bond steps only read this one, so the ratio 0 and 1 cases (which
        // return a copy of one input) can use that input itself.
        var weightsForBonds =
            bondsPenalty == I32F32.Zero ? weights
            : bondsPenalty == I32F32.One ? clipped
            : YumaMath.InterpolateSparse(weights, clipped, n, bondsPenalty);

        // 5.9 bonds and dividends.
        var bonds = p.Yuma3
            ? Yuma3Bonds(input, weightsForBonds, consensus, activeStake, incentive, lastTempo, out var dividends)
            : ClassicBondsStep(
                input,
                weightsForBonds,
                activeStake,
                incentive,
                clippedStakeColumnSums,
                lastTempo,
                out dividends
            );

        // 5.10 emission shares.
        var combined = new I32F32[n];
        for (var i = 0; i < n; i++)
            combined[i] = incentive[i] + dividends[i];
        var emissionSum = YumaMath.Sum(combined);
        var serverShare = (I32F32[])incentive.Clone();
        var validatorShare = (I32F32[])dividends.Clone();
        var combinedShare = combined;
        YumaMath.NormalizeUsingSum(serverShare, emissionSum);
        YumaMath.NormalizeUsingSum(validatorShare, emissionSum);
        YumaMath.Normalize(combinedShare);
        if (emissionSum == I32F32.Zero)
        {
            // No usable weights: pay validators by stake (active stake if any validator is active).
            var fallback = Array.TrueForAll(activeStake, a => a == I32F32.Zero) ? stake : activeStake;
            validatorShare = (I32F32[])fallback.Clone();
            combinedShare = (I32F32[])fallback.Clone();
        }
        var rao = I96F32.FromUInt(input.RaoEmission);
        ulong ToRao(I32F32 share) => (I96F32.From(share) * rao).SaturatingToUInt64();

        // Storage: a row is written when the uid holds a new permit, cleared when it lost one, otherwise untouched.
        var storedBonds = new U16Entry[n][];
        for (var i = 0; i < n; i++)
        {
            if (newPermits[i])
                storedBonds[i] = bonds[i];
            else if (permits[i])
                storedBonds[i] = [];
            else
                storedBonds[i] = i < input.Bonds.Length ? (U16Entry[])input.Bonds[i].Clone() : [];
        }

        return new EpochResult(
            stake,
            activeStake,
            consensus,
            incentive,
            dividends,
            validatorTrust,
            Array.ConvertAll(combinedShare, ToRao),
            Array.ConvertAll(serverShare, ToRao),
            Array.ConvertAll(validatorShare, ToRao),
            newPermits,
            storedBonds
        );
    }

    /// <summary>
    /// The masked weight rows, each row-normalised (<c>inplace_row_normalize_sparse</c>) as soon as it is built, while it
    /// is still in cache: the same entries, sums and divisions as masking all rows and then normalising them.
    /// </summary>
    private static SparseEntry[][] MaskedRowNormalizedWeights(EpochInput input, bool[] permits, int owner)
    {
        var n = input.N;
        var commits = input.EarliestCommitBlock;
        var registered = input.BlockAtRegistration;
        var rows = new SparseEntry[n][];
        for (var i = 0; i < n; i++)
        {
            // A uid without a (stored) permit has its whole row ignored.
            if (!permits[i] || i >= input.Weights.Length || input.Weights[i].Length == 0)
            {
                rows[i] = [];
                continue;
            }
            var source = input.Weights[i];
            var lastUpdate = input.LastUpdate[i];
            var commit = commits?[i];
            var row = new SparseEntry[source.Length];
            var count = 0;
            var sum = I32F32.Zero;
            foreach (var (j, value) in source)
            {
                if (j >= n)
                    continue;
                // Self-weights never count, except the subnet owner's.
                if (j == i && i != owner)
                    continue;
                // Weights set before j's current occupant registered are about someone else.
                if (lastUpdate <= registered[j])
                    continue;
                if (commit is { } c && c < registered[j])
                    continue;
                // A u16 is exactly value·2^32 bits (what I32F32.FromInt gives without saturating).
                var weight = I32F32.FromBits((long)value << I32F32.FracBits);
                row[count++] = new SparseEntry(j, weight);
                sum += weight;
            }
            if (sum > I32F32.Zero)
            {
                var divisor = new FixedDivisor(sum);
                for (var k = 0; k < count; k++)
                    row[k] = row[k] with { Value = divisor.Divide(row[k].Value) };
            }
            if (count < row.Length)
                Array.Resize(ref row, count);
            rows[i] = row;
        }
        return rows;
    }

    /// <summary>Stored (Yuma3) bonds as proportions, with the columns of uids registered since the last epoch removed.</summary>
    private static SparseEntry[][] LoadBonds(EpochInput input, ulong lastTempo)
    {
        var n = input.N;
        var rows = new SparseEntry[n][];
        for (var i = 0; i < n; i++)
        {
            if (i >= input.Bonds.Length || input.Bonds[i].Length == 0)
            {
                rows[i] = [];
                continue;
            }
            var source = input.Bonds[i];
            var row = new SparseEntry[source.Length];
            var count = 0;
            foreach (var (j, value) in source)
                if (j < n && !(lastTempo <= input.BlockAtRegistration[j]))
                    row[count++] = new SparseEntry(j, I32F32.FromU16Proportion(value));
            if (count < row.Length)
                Array.Resize(ref row, count);
            rows[i] = row;
        }
        return rows;
    }

    private static I32F32 FixedAlpha(ulong bondsMovingAverage)
    {
        var average = I64F64.FromUInt(bondsMovingAverage).SafeDiv(I64F64.FromUInt(1_000_000));
        return I32F32.One - average.ToI32F32();
    }

    /// <summary>5.9a: column-normalised bonds, EMA of the stake-weighted bond delta, column max-upscaled storage.</summary>
    private static U16Entry[][] ClassicBondsStep(
        EpochInput input,
        SparseEntry[][] weightsForBonds,
        I32F32[] activeStake,
        I32F32[] incentive,
        I32F32[]? deltaColumnSums,
        ulong lastTempo,
        out I32F32[] dividends
    )
    {
        var keepColumn = new bool[input.N];
        for (var j = 0; j < keepColumn.Length; j++)
            keepColumn[j] = !(lastTempo <= input.BlockAtRegistration[j]);
        return ClassicBonds.Compute(
            input.Bonds,
            keepColumn,
            weightsForBonds,
            activeStake,
            incentive,
            FixedAlpha(input.Parameters.BondsMovingAverage),
            deltaColumnSums,
            out dividends
        );
    }

    /// <summary>5.9b: absolute bonds, fixed or liquid alpha, dividends weighted by the validator's own active stake.</summary>
    private static U16Entry[][] Yuma3Bonds(
        EpochInput input,
        SparseEntry[][] weightsForBonds,
        I32F32[] consensus,
        I32F32[] activeStake,
        I32F32[] incentive,
        ulong lastTempo,
        out I32F32[] dividends
    )
    {
        var n = input.N;
        var p = input.Parameters;
        SparseEntry[][] ema;
        if (p.LiquidAlpha && Array.Exists(consensus, c => c != I32F32.Zero))
        {
            var low = I32F32.FromInt(p.AlphaLow).SafeDiv(U16Max);
            var high = I32F32.FromInt(p.AlphaHigh).SafeDiv(U16Max);
            var steepness = I32F32.FromInt(p.AlphaSigmoidSteepness);
            // Only the alphas of entries present in a weight row are ever used (the sparse EMA drops the rest), so
            // they are computed on demand for those entries instead of for all n² pairs.
            var keepColumn = new bool[n];
            for (var j = 0; j < n; j++)
                keepColumn[j] = !(lastTempo <= input.BlockAtRegistration[j]);
            ema = YumaMath.MatEmaLiquidAlphaSparse(
                weightsForBonds,
                input.Bonds,
                keepColumn,
                consensus,
                new LiquidAlpha.Evaluator(low, high, steepness)
            );
        }
        else
        {
            ema = YumaMath.MatEmaSparse(
                weightsForBonds,
                LoadBonds(input, lastTempo),
                FixedAlpha(p.BondsMovingAverage),
                n
            );
        }
        // Column-normalised copy of the EMA times incentive, summed per row, fused into one pass without the two
        // intermediate matrices (the same divisions, products and row-order sums), which also converts the EMA
        // itself to the stored u16 proportions.
        var columnSums = new I32F32[n];
        foreach (var row in ema)
        {
            foreach (var entry in row)
                columnSums[entry.Column] += entry.Value;
        }
        var divisors = new FixedDivisor[n];
        for (var j = 0; j < n; j++)
            divisors[j] = new FixedDivisor(columnSums[j]);
        var perValidator = new I32F32[n];
        var stored = new U16Entry[n][];
        for (var i = 0; i < n; i++)
        {
            var sum = I32F32.Zero;
            var row = ema[i];
            var storedRow = new U16Entry[row.Length];
            for (var k = 0; k < row.Length; k++)
            {
                var entry = row[k];
                var value =
                    columnSums[entry.Column] == I32F32.Zero ? entry.Value : divisors[entry.Column].Divide(entry.Value);
                sum += value * incentive[entry.Column];
                storedRow[k] = new U16Entry(entry.Column, entry.Value.ToU16Proportion());
            }
            perValidator[i] = sum;
            stored[i] = storedRow;
        }
        dividends = new I32F32[n];
        // vec_mul uses checked_mul: an overflow gives 0, not saturation.
        for (var i = 0; i < n; i++)
            dividends[i] = I32F32.TryMultiply(perValidator[i], activeStake[i], out var product) ? product : I32F32.Zero;
        YumaMath.Normalize(dividends);
        return stored;
    }

    private static ulong Saturating(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    private static void Validate(EpochInput input)
    {
        var n = input.N;
        if (n < 0)
            throw new ArgumentException("n must not be negative", nameof(input));
        void Check(int length, string name)
        {
            if (length != n)
                throw new ArgumentException($"{name} has {length} entries, expected n = {n}", nameof(input));
        }
        Check(input.Stake.Length, "stake");
        Check(input.BlockAtRegistration.Length, "block_at_registration");
        Check(input.LastUpdate.Length, "last_update");
        Check(input.ValidatorPermit.Length, "validator_permit");
        if (input.EarliestCommitBlock is { } commits)
            Check(commits.Length, "earliest_commit_block");
        if (input.Weights.Length > n)
            throw new ArgumentException($"weights has {input.Weights.Length} rows, more than n = {n}", nameof(input));
        if (input.Bonds.Length > n)
            throw new ArgumentException($"bonds has {input.Bonds.Length} rows, more than n = {n}", nameof(input));
        foreach (var rows in (ReadOnlySpan<U16Entry[][]>)[input.Weights, input.Bonds])
        {
            foreach (var row in rows)
            {
                foreach (var entry in row)
                    if (entry.Column < 0)
                        throw new ArgumentException("a sparse entry has a negative uid", nameof(input));
            }
        }
    }
}
