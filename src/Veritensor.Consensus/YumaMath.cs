using System.Runtime.CompilerServices;

namespace Veritensor.Consensus;

/// <summary>
/// The vector and sparse-matrix helpers of subtensor's <c>epoch/math.rs</c> that the production (sparse) epoch calls,
/// with the same operation order so that every floor and truncation lands on the same bit. Sparse rows are arrays of
/// <see cref="SparseEntry"/>; a missing entry is zero, an explicit zero entry is kept where subtensor keeps it.
/// </summary>
public static class YumaMath
{
    /// <summary>Plain (saturating) sum, as Rust's <c>iter().sum()</c> over values that never approach the limits.</summary>
    public static I32F32 Sum(ReadOnlySpan<I32F32> values)
    {
        var sum = I32F32.Zero;
        foreach (var value in values)
            sum += value;
        return sum;
    }

    /// <summary><c>inplace_normalize</c>: x / Σx, left unchanged when the sum is zero.</summary>
    public static void Normalize(Span<I32F32> values)
    {
        var sum = Sum(values);
        if (sum == I32F32.Zero)
            return;
        var divisor = new FixedDivisor(sum);
        for (var i = 0; i < values.Length; i++)
            values[i] = divisor.Divide(values[i]);
    }

    /// <summary><c>inplace_normalize_using_sum</c>: x / sum, unchanged when the sum is zero.</summary>
    public static void NormalizeUsingSum(Span<I32F32> values, I32F32 sum)
    {
        if (sum == I32F32.Zero)
            return;
        var divisor = new FixedDivisor(sum);
        for (var i = 0; i < values.Length; i++)
            values[i] = divisor.Divide(values[i]);
    }

    /// <summary><c>inplace_normalize_64</c> on I64F64 stake.</summary>
    public static void Normalize64(Span<I64F64> values)
    {
        var sum = I64F64.Zero;
        foreach (var value in values)
            sum += value;
        if (sum == I64F64.Zero)
            return;
        for (var i = 0; i < values.Length; i++)
            values[i] /= sum;
    }

    /// <summary>
    /// <c>is_topk_nonzero</c>: true where the value is non-zero, then the n − k smallest (stable ascending sort, ties in
    /// index order) are cleared, unless n &lt; k.
    /// </summary>
    public static bool[] IsTopKNonzero(ReadOnlySpan<I32F32> values, int k)
    {
        var n = values.Length;
        var result = new bool[n];
        for (var i = 0; i < n; i++)
            result[i] = values[i] != I32F32.Zero;
        if (n < k)
            return result;
        var order = new int[n];
        for (var i = 0; i < n; i++)
            order[i] = i;
        var keys = values.ToArray();
        // Array.Sort is unstable; sorting (value, index) pairs gives Rust's stable order.
        Array.Sort(order, (x, y) => keys[x] != keys[y] ? keys[x].CompareTo(keys[y]) : x.CompareTo(y));
        for (var i = 0; i < n - k; i++)
            result[order[i]] = false;
        return result;
    }

    /// <summary><c>inplace_row_normalize_sparse</c>: each row divided by its sum when the sum is positive.</summary>
    public static void RowNormalizeSparse(SparseEntry[][] rows)
    {
        foreach (var row in rows)
        {
            var sum = I32F32.Zero;
            foreach (var entry in row)
                sum += entry.Value;
            if (sum <= I32F32.Zero)
                continue;
            var divisor = new FixedDivisor(sum);
            for (var k = 0; k < row.Length; k++)
                row[k] = row[k] with { Value = divisor.Divide(row[k].Value) };
        }
    }

    /// <summary><c>inplace_col_normalize_sparse</c>: each column divided by its sum; all-zero columns are left alone.</summary>
    public static void ColNormalizeSparse(SparseEntry[][] rows, int columns)
    {
        var sums = new I32F32[columns];
        foreach (var row in rows)
        {
            foreach (var entry in row)
                sums[entry.Column] += entry.Value;
        }
        var divisors = new FixedDivisor[columns];
        for (var j = 0; j < columns; j++)
            divisors[j] = new FixedDivisor(sums[j]);
        foreach (var row in rows)
        {
            for (var k = 0; k < row.Length; k++)
            {
                var column = row[k].Column;
                if (sums[column] == I32F32.Zero)
                    continue;
                row[k] = row[k] with { Value = divisors[column].Divide(row[k].Value) };
            }
        }
    }

    /// <summary><c>inplace_col_max_upscale_sparse</c>: each column divided by its maximum (classic bond storage).</summary>
    public static void ColMaxUpscaleSparse(SparseEntry[][] rows, int columns)
    {
        var maxima = new I32F32[columns];
        foreach (var row in rows)
        {
            foreach (var entry in row)
                if (maxima[entry.Column] < entry.Value)
                    maxima[entry.Column] = entry.Value;
        }
        var divisors = new FixedDivisor[columns];
        for (var j = 0; j < columns; j++)
            divisors[j] = new FixedDivisor(maxima[j]);
        foreach (var row in rows)
        {
            for (var k = 0; k < row.Length; k++)
            {
                var column = row[k].Column;
                if (maxima[column] == I32F32.Zero)
                    continue;
                row[k] = row[k] with { Value = divisors[column].Divide(row[k].Value) };
            }
        }
    }

    /// <summary>
    /// <c>col_clip_sparse</c>: an entry above its column's threshold becomes the threshold, or is dropped when the
    /// threshold is zero; entries at or below it (explicit zeros included) are kept.
    /// </summary>
    public static SparseEntry[][] ColClipSparse(SparseEntry[][] rows, ReadOnlySpan<I32F32> threshold)
    {
        var result = new SparseEntry[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            var source = rows[i];
            // Only an entry above a non-positive threshold is dropped: count those first to size the row exactly.
            var dropped = 0;
            foreach (var entry in source)
            {
                var limit = threshold[entry.Column];
                if (limit < entry.Value && !(I32F32.Zero < limit))
                    dropped++;
            }
            var row = new SparseEntry[source.Length - dropped];
            var count = 0;
            foreach (var entry in source)
            {
                var limit = threshold[entry.Column];
                if (limit < entry.Value)
                {
                    if (I32F32.Zero < limit)
                        row[count++] = entry with { Value = limit };
                }
                else
                {
                    row[count++] = entry;
                }
            }
            result[i] = row;
        }
        return result;
    }

    /// <summary>
    /// <see cref="ColClipSparse"/> reusing <paramref name="rows"/>: a row keeps its array unless an entry is dropped.
    /// Only for rows the caller no longer needs unclipped.
    /// </summary>
    internal static SparseEntry[][] ColClipSparseInPlace(SparseEntry[][] rows, ReadOnlySpan<I32F32> threshold)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            var count = 0;
            for (var k = 0; k < row.Length; k++)
            {
                var entry = row[k];
                var limit = threshold[entry.Column];
                if (limit < entry.Value)
                {
                    if (I32F32.Zero < limit)
                        row[count++] = entry with { Value = limit };
                }
                else
                {
                    row[count++] = entry;
                }
            }
            if (count < row.Length)
                rows[i] = row.AsSpan(0, count).ToArray();
        }
        return rows;
    }

    /// <summary>
    /// <see cref="ColClipSparse"/> (or <see cref="ColClipSparseInPlace"/>) followed by <see cref="RowSumSparse"/> and
    /// <see cref="MatMulSparse"/> of the clipped rows with <paramref name="vector"/>, each row summed and accumulated
    /// right after it is clipped: the rows and entries are visited in the same order, so every sum is the same.
    /// </summary>
    internal static SparseEntry[][] ColClipRowSumMatMulSparse(
        SparseEntry[][] rows,
        ReadOnlySpan<I32F32> threshold,
        ReadOnlySpan<I32F32> vector,
        bool inPlace,
        out I32F32[] rowSums,
        out I32F32[] columnSums
    )
    {
        var result = inPlace ? rows : new SparseEntry[rows.Length][];
        rowSums = new I32F32[rows.Length];
        columnSums = new I32F32[threshold.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var source = rows[i];
            var row = inPlace ? source : new SparseEntry[source.Length];
            var count = 0;
            var sum = I32F32.Zero;
            var stake = vector[i];
            for (var k = 0; k < source.Length; k++)
            {
                var entry = source[k];
                var limit = threshold[entry.Column];
                if (limit < entry.Value)
                {
                    if (!(I32F32.Zero < limit))
                        continue;
                    entry = entry with { Value = limit };
                }
                row[count++] = entry;
                sum += entry.Value;
                columnSums[entry.Column] += stake * entry.Value;
            }
            rowSums[i] = sum;
            result[i] = count < row.Length ? row.AsSpan(0, count).ToArray() : row;
        }
        return result;
    }

    /// <summary><c>row_sum_sparse</c>.</summary>
    public static I32F32[] RowSumSparse(SparseEntry[][] rows)
    {
        var result = new I32F32[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            foreach (var entry in rows[i])
                result[i] += entry.Value;
        }
        return result;
    }

    /// <summary><c>matmul_sparse</c>: result[j] = Σ_i vector[i] · M(i,j) (stake-weighted column sums).</summary>
    public static I32F32[] MatMulSparse(SparseEntry[][] rows, ReadOnlySpan<I32F32> vector, int columns)
    {
        var result = new I32F32[columns];
        for (var i = 0; i < rows.Length; i++)
        {
            foreach (var entry in rows[i])
                result[entry.Column] += vector[i] * entry.Value;
        }
        return result;
    }

    /// <summary><c>matmul_transpose_sparse</c>: result[i] = Σ_j vector[j] · M(i,j).</summary>
    public static I32F32[] MatMulTransposeSparse(SparseEntry[][] rows, ReadOnlySpan<I32F32> vector)
    {
        var result = new I32F32[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            foreach (var entry in rows[i])
                result[i] += vector[entry.Column] * entry.Value;
        }
        return result;
    }

    /// <summary><c>row_hadamard_sparse</c>: M(i,j) · vector[i], explicit entries kept.</summary>
    public static SparseEntry[][] RowHadamardSparse(SparseEntry[][] rows, ReadOnlySpan<I32F32> vector)
    {
        var result = new SparseEntry[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = new SparseEntry[rows[i].Length];
            for (var k = 0; k < row.Length; k++)
                row[k] = rows[i][k] with { Value = rows[i][k].Value * vector[i] };
            result[i] = row;
        }
        return result;
    }

    /// <summary><see cref="RowHadamardSparse"/> overwriting its input (for rows the caller no longer needs).</summary>
    internal static void RowHadamardSparseInPlace(SparseEntry[][] rows, ReadOnlySpan<I32F32> vector)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            for (var k = 0; k < row.Length; k++)
                row[k] = row[k] with { Value = row[k].Value * vector[i] };
        }
    }

    /// <summary><c>mat_vec_mul_sparse</c>: M(i,j) · vector[j], explicit entries kept.</summary>
    public static SparseEntry[][] MatVecMulSparse(SparseEntry[][] rows, ReadOnlySpan<I32F32> vector)
    {
        var result = new SparseEntry[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = new SparseEntry[rows[i].Length];
            for (var k = 0; k < row.Length; k++)
                row[k] = rows[i][k] with { Value = rows[i][k].Value * vector[rows[i][k].Column] };
            result[i] = row;
        }
        return result;
    }

    /// <summary>
    /// <c>interpolate_sparse</c>: m1 + ratio·(m2 − m1) per (i,j) over all columns, keeping only positive results in
    /// column order; ratio 0 returns m1 and ratio 1 returns m2 unchanged (explicit zeros survive only there).
    /// </summary>
    public static SparseEntry[][] InterpolateSparse(SparseEntry[][] m1, SparseEntry[][] m2, int columns, I32F32 ratio)
    {
        if (ratio == I32F32.Zero)
            return Copy(m1);
        if (ratio == I32F32.One)
            return Copy(m2);
        var result = new SparseEntry[m1.Length][];
        var row1 = new I32F32[columns];
        var row2 = new I32F32[columns];
        var buffer = new List<SparseEntry>();
        for (var i = 0; i < m1.Length; i++)
        {
            // Both rows empty: nothing can be positive (a fast path for the miners' rows, same result).
            if (m1[i].Length == 0 && m2[i].Length == 0)
            {
                result[i] = [];
                continue;
            }
            Array.Clear(row1);
            Array.Clear(row2);
            foreach (var entry in m1[i])
                row1[entry.Column] = entry.Value;
            foreach (var entry in m2[i])
                row2[entry.Column] = entry.Value;
            buffer.Clear();
            for (var j = 0; j < columns; j++)
            {
                var value = row1[j] + ratio * (row2[j] - row1[j]);
                if (I32F32.Zero < value)
                    buffer.Add(new SparseEntry(j, value));
            }
            result[i] = [.. buffer];
        }
        return result;
    }

    /// <summary>
    /// <c>mat_ema_sparse</c>: alpha·new + (1 − alpha)·old over the union of entries, positive results kept in column
    /// order (classic Yuma and fixed-alpha Yuma3; old bonds absent from <paramref name="next"/> keep decaying).
    /// </summary>
    public static SparseEntry[][] MatEmaSparse(SparseEntry[][] next, SparseEntry[][] old, I32F32 alpha, int columns)
    {
        var oneMinusAlpha = I32F32.One - alpha;
        var result = new SparseEntry[next.Length][];
        var row = new I32F32[columns];
        var buffer = new List<SparseEntry>();
        for (var i = 0; i < next.Length; i++)
        {
            if (next[i].Length == 0 && old[i].Length == 0)
            {
                result[i] = [];
                continue;
            }
            Array.Clear(row);
            foreach (var entry in next[i])
                row[entry.Column] += alpha * entry.Value;
            foreach (var entry in old[i])
                row[entry.Column] += oneMinusAlpha * entry.Value;
            buffer.Clear();
            for (var j = 0; j < columns; j++)
                if (row[j] > I32F32.Zero)
                    buffer.Add(new SparseEntry(j, row[j]));
            result[i] = [.. buffer];
        }
        return result;
    }

    /// <summary>
    /// <c>mat_ema_alpha_sparse</c> (Yuma3 liquid alpha): for each entry of row i of <paramref name="next"/> only,
    /// min(1, (1 − a)·old + max(0, a·new)); an old bond whose column is absent from the new row is dropped at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SparseEntry[][] MatEmaAlphaSparse(
        SparseEntry[][] next,
        SparseEntry[][] old,
        Func<int, int, I32F32> alpha,
        int columns
    )
    {
        var result = new SparseEntry[next.Length][];
        var oldRow = new I32F32[columns];
        var buffer = new List<SparseEntry>();
        for (var i = 0; i < next.Length; i++)
        {
            foreach (var entry in old[i])
                oldRow[entry.Column] = entry.Value;
            buffer.Clear();
            foreach (var entry in next[i])
            {
                // subtensor decays every old bond with its own alpha but reads the decayed value only for columns in
                // the new row, and (1 − a)·0 = 0 for the others: one alpha per new entry gives the same bits.
                var a = alpha(i, entry.Column);
                var decayed = (I32F32.One - a) * oldRow[entry.Column];
                var purchase = I32F32.Max(a * entry.Value, I32F32.Zero);
                var value = I32F32.Min(decayed + purchase, I32F32.One);
                if (value > I32F32.Zero)
                    buffer.Add(entry with { Value = value });
            }
            foreach (var entry in old[i])
                oldRow[entry.Column] = I32F32.Zero;
            result[i] = [.. buffer];
        }
        return result;
    }

    /// <summary>
    /// <see cref="MatEmaAlphaSparse"/> of <paramref name="next"/> and the stored (u16 proportion) bonds, with subtensor's
    /// liquid alpha per entry, alpha(i, j) = <paramref name="sigmoid"/>(consensus[j], W(i,j), B(i,j)) read from dense
    /// copies of row i of both matrices (a repeated column reads its last entry, as the dense rows do), computed inline
    /// instead of through a delegate and written into an exactly sized row. The bonds are read straight from storage
    /// (bond columns with <paramref name="keepColumn"/> false or out of range dropped) instead of from a loaded matrix.
    /// </summary>
    internal static SparseEntry[][] MatEmaLiquidAlphaSparse(
        SparseEntry[][] next,
        U16Entry[][] storedBonds,
        bool[] keepColumn,
        ReadOnlySpan<I32F32> consensus,
        LiquidAlpha.Evaluator sigmoid
    )
    {
        var columns = keepColumn.Length;
        var result = new SparseEntry[next.Length][];
        var weightRow = new I32F32[columns];
        var bondRow = new I32F32[columns];
        for (var i = 0; i < next.Length; i++)
        {
            var source = next[i];
            if (source.Length == 0)
            {
                result[i] = [];
                continue;
            }
            var bonds = i < storedBonds.Length ? storedBonds[i] : [];
            foreach (var entry in source)
                weightRow[entry.Column] = entry.Value;
            foreach (var (column, value) in bonds)
                if (column < columns && keepColumn[column])
                    bondRow[column] = I32F32.FromU16Proportion(value);
            var row = new SparseEntry[source.Length];
            var count = 0;
            foreach (var entry in source)
            {
                var column = entry.Column;
                var bond = bondRow[column];
                var a = sigmoid.Alpha(consensus[column], weightRow[column], bond);
                var decayed = (I32F32.One - a) * bond;
                var purchase = I32F32.Max(a * entry.Value, I32F32.Zero);
                var value = I32F32.Min(decayed + purchase, I32F32.One);
                if (value > I32F32.Zero)
                    row[count++] = entry with { Value = value };
            }
            foreach (var entry in source)
                weightRow[entry.Column] = I32F32.Zero;
            foreach (var (column, _) in bonds)
                if (column < columns)
                    bondRow[column] = I32F32.Zero;
            if (count < row.Length)
                Array.Resize(ref row, count);
            result[i] = row;
        }
        return result;
    }

    /// <summary>
    /// <c>mat_ema_alpha</c>, the dense variant (epoch_dense only): min(1, (1 − a)·old + max(0, a·new)) element-wise,
    /// so a bond decays rather than vanishing when its weight is zero.
    /// </summary>
    public static I32F32[][] MatEmaAlphaDense(I32F32[][] next, I32F32[][] old, I32F32[][] alpha)
    {
        var result = new I32F32[next.Length][];
        for (var i = 0; i < next.Length; i++)
        {
            result[i] = new I32F32[next[i].Length];
            for (var j = 0; j < next[i].Length; j++)
            {
                var decayed = (I32F32.One - alpha[i][j]) * old[i][j];
                var purchase = I32F32.Max(alpha[i][j] * next[i][j], I32F32.Zero);
                result[i][j] = I32F32.Min(decayed + purchase, I32F32.One);
            }
        }
        return result;
    }

    /// <summary>Deep copy, so in-place helpers never alias a caller's rows.</summary>
    public static SparseEntry[][] Copy(SparseEntry[][] rows)
    {
        var result = new SparseEntry[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
            result[i] = (SparseEntry[])rows[i].Clone();
        return result;
    }
}
