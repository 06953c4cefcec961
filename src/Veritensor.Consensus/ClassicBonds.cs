namespace Veritensor.Consensus;

/// <summary>
/// Classic Yuma's bond step (spec 5.9a) in four passes over the matrices instead of a dozen: the stored bonds are
/// column-normalised, the stake-weighted weights (the delta) column-normalised, their EMA column-normalised, multiplied by
/// incentive for the dividends, column max-upscaled and stored as u16. The column-normalised bonds and delta are never
/// materialised: their column sums are taken in a first pass and each entry is divided where the EMA reads it. Every
/// sum visits rows in order and entries in row order and every value goes through the same I32F32 operations as the
/// step-by-step helpers, so the bits are theirs.
/// </summary>
internal static class ClassicBonds
{
    /// <param name="storedBonds">The bonds the previous epoch stored (raw u16 values; rows past the end are empty).</param>
    /// <param name="keepColumn">Per uid: false when its bond column is dropped (registered since the last epoch).</param>
    /// <param name="weightsForBonds">The weights used for bonds; a row may be overwritten with the EMA's row once read.</param>
    /// <param name="activeStake">Active stake per uid.</param>
    /// <param name="incentive">Normalised incentive per uid.</param>
    /// <param name="alpha">The fixed EMA rate.</param>
    /// <param name="deltaColumnSums">
    /// The delta's column sums Σ_i W(i,j)·activeStake[i] (row order) when the caller already has them, else null.
    /// </param>
    /// <param name="dividends">Normalised dividends per uid.</param>
    /// <returns>The new bond rows as stored: upscaled to each column's maximum, as u16 proportions.</returns>
    public static U16Entry[][] Compute(
        U16Entry[][] storedBonds,
        bool[] keepColumn,
        SparseEntry[][] weightsForBonds,
        I32F32[] activeStake,
        I32F32[] incentive,
        I32F32 alpha,
        I32F32[]? deltaColumnSums,
        out I32F32[] dividends
    )
    {
        var n = keepColumn.Length;

        // Pass 1: column sums of the loaded bonds and of the delta (weight · the row's active stake).
        var bondSums = new I32F32[n];
        for (var i = 0; i < storedBonds.Length && i < n; i++)
            foreach (var (j, value) in storedBonds[i])
                if (j < n && keepColumn[j])
                    bondSums[j] += FromU16(value);
        var deltaSums = deltaColumnSums;
        if (deltaSums is null)
        {
            deltaSums = new I32F32[n];
            for (var i = 0; i < n; i++)
            {
                var stake = activeStake[i];
                foreach (var entry in weightsForBonds[i])
                    deltaSums[entry.Column] += entry.Value * stake;
            }
        }
        // A bond sum of u16 integers is a whole number V·2^32 (unless it saturated), and then ⌊(v·2^64)/(V·2^32)⌋ =
        // ⌊(v·2^32)/V⌋: the same quotient from a numerator below 2^48 and divisor V, which FixedDivisor's 64-bit
        // path handles instead of the 128-bit one.
        var bondDivisors = new FixedDivisor[n];
        var wholeBondSum = new bool[n];
        for (var j = 0; j < n; j++)
        {
            wholeBondSum[j] = bondSums[j] > I32F32.Zero && (bondSums[j].Bits & uint.MaxValue) == 0;
            bondDivisors[j] = new FixedDivisor(
                wholeBondSum[j] ? I32F32.FromBits(bondSums[j].Bits >> I32F32.FracBits) : bondSums[j]
            );
        }
        var deltaDivisors = Divisors(deltaSums);

        // Pass 2: the EMA of the normalised delta and bonds over the union of entries (mat_ema_sparse), positive
        // entries kept in column order, and the EMA's column sums.
        var oneMinusAlpha = I32F32.One - alpha;
        var ema = new SparseEntry[n][];
        var emaSums = new I32F32[n];
        var dense = new I32F32[n];
        var buffer = new SparseEntry[n];
        for (var i = 0; i < n; i++)
        {
            var next = weightsForBonds[i];
            var old = i < storedBonds.Length ? storedBonds[i] : [];
            if (next.Length == 0 && old.Length == 0)
            {
                ema[i] = [];
                continue;
            }
            Array.Clear(dense);
            var stake = activeStake[i];
            foreach (var entry in next)
            {
                var column = entry.Column;
                var delta = entry.Value * stake;
                if (deltaSums[column] != I32F32.Zero)
                    delta = deltaDivisors[column].Divide(delta);
                dense[column] += alpha * delta;
            }
            foreach (var (column, value) in old)
            {
                if (column >= n || !keepColumn[column])
                    continue;
                var bond =
                    wholeBondSum[column] ? bondDivisors[column].Divide(I32F32.FromBits(value))
                    : bondSums[column] != I32F32.Zero ? bondDivisors[column].Divide(FromU16(value))
                    : FromU16(value);
                dense[column] += oneMinusAlpha * bond;
            }
            var count = 0;
            for (var j = 0; j < n; j++)
            {
                var value = dense[j];
                if (value > I32F32.Zero)
                {
                    buffer[count++] = new SparseEntry(j, value);
                    emaSums[j] += value;
                }
            }
            // The weight row has been read in full: a dense one (as long as the EMA row) takes the EMA in place of a
            // new array.
            if (count == next.Length)
            {
                buffer.AsSpan(0, count).CopyTo(next);
                ema[i] = next;
            }
            else
            {
                ema[i] = buffer.AsSpan(0, count).ToArray();
            }
        }

        // Pass 3: column-normalise the EMA in place; dividends (matmul_transpose_sparse with incentive) and the
        // column maxima for storage from the normalised values.
        var emaDivisors = Divisors(emaSums);
        dividends = new I32F32[n];
        var maxima = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            var row = ema[i];
            var sum = I32F32.Zero;
            for (var k = 0; k < row.Length; k++)
            {
                var column = row[k].Column;
                var value = row[k].Value;
                if (emaSums[column] != I32F32.Zero)
                    value = emaDivisors[column].Divide(value);
                row[k] = new SparseEntry(column, value);
                sum += incentive[column] * value;
                if (maxima[column] < value)
                    maxima[column] = value;
            }
            dividends[i] = sum;
        }
        YumaMath.Normalize(dividends);

        // Pass 4: column max-upscale and convert to stored u16 proportions.
        var maximumDivisors = Divisors(maxima);
        var stored = new U16Entry[n][];
        for (var i = 0; i < n; i++)
        {
            var row = ema[i];
            var result = new U16Entry[row.Length];
            for (var k = 0; k < row.Length; k++)
            {
                var column = row[k].Column;
                var value = row[k].Value;
                if (maxima[column] != I32F32.Zero)
                    value = maximumDivisors[column].Divide(value);
                result[k] = new U16Entry(column, value.ToU16Proportion());
            }
            stored[i] = result;
        }
        return stored;
    }

    /// <summary>A classic bond is loaded as the plain integer u16 (I32F32.FromInt, exact for a u16).</summary>
    private static I32F32 FromU16(ushort value) => I32F32.FromBits((long)value << I32F32.FracBits);

    private static FixedDivisor[] Divisors(I32F32[] sums)
    {
        var divisors = new FixedDivisor[sums.Length];
        for (var j = 0; j < sums.Length; j++)
            divisors[j] = new FixedDivisor(sums[j]);
        return divisors;
    }
}
