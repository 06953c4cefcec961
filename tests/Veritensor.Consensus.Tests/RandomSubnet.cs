namespace Veritensor.Consensus.Tests;

/// <summary>Random small subnets for property tests (fixed seeds); stakes are distinct so top-K permits have no ties.</summary>
internal static class RandomSubnet
{
    public static EpochInput Create(Random random, bool yuma3, bool liquidAlpha)
    {
        var n = random.Next(2, 13);
        var stake = Enumerable.Range(1, n).Select(i => (ulong)(i * 1000 + random.Next(0, 1000))).ToArray();
        random.Shuffle(stake);
        const ulong block = 100;
        ushort[] penalties = [0, 32767, 65535];
        var parameters = new EpochHyperparameters(
            Tempo: (ulong)random.Next(1, 20),
            ActivityCutoff: (ulong)random.Next(1, 60),
            Kappa: 32767,
            BondsPenalty: penalties[random.Next(penalties.Length)],
            BondsMovingAverage: random.Next(2) == 0 ? 900_000UL : 975_000UL,
            MaxAllowedValidators: random.Next(1, n + 2),
            Yuma3: yuma3,
            LiquidAlpha: liquidAlpha,
            AlphaLow: 6553,
            AlphaHigh: 19660,
            AlphaSigmoidSteepness: 1000,
            StakeThreshold: 0,
            LastMechanismStepBlock: 0,
            OwnerUid: null
        );
        return new EpochInput(
            n,
            block,
            parameters,
            Array.ConvertAll(stake, I64F64.FromUInt),
            Enumerable.Range(0, n).Select(_ => (ulong)random.Next(0, 60)).ToArray(),
            Enumerable.Range(0, n).Select(_ => (ulong)random.Next(0, 101)).ToArray(),
            Enumerable.Range(0, n).Select(_ => random.Next(4) != 0).ToArray(),
            Rows(random, n),
            Rows(random, n),
            (ulong)random.NextInt64(1, 1_000_000_000_000)
        );
    }

    private static U16Entry[][] Rows(Random random, int n) =>
        Enumerable
            .Range(0, n)
            .Select(_ =>
                Enumerable
                    .Range(0, n)
                    .Where(_ => random.Next(3) != 0)
                    .Select(j => new U16Entry(j, random.Next(5) == 0 ? (ushort)0 : (ushort)random.Next(1, 65536)))
                    .ToArray()
            )
            .ToArray();

    /// <summary>The same subnet with uid i renamed to permutation[i] everywhere, columns of sparse rows included.</summary>
    public static EpochInput Permute(EpochInput input, int[] permutation)
    {
        T[] Move<T>(T[] values)
        {
            var result = new T[values.Length];
            for (var i = 0; i < values.Length; i++)
                result[permutation[i]] = values[i];
            return result;
        }
        U16Entry[][] MoveRows(U16Entry[][] rows) =>
            Move(rows.Select(row => row.Select(e => e with { Column = permutation[e.Column] }).ToArray()).ToArray());
        return input with
        {
            Stake = Move(input.Stake),
            BlockAtRegistration = Move(input.BlockAtRegistration),
            LastUpdate = Move(input.LastUpdate),
            ValidatorPermit = Move(input.ValidatorPermit),
            Weights = MoveRows(input.Weights),
            Bonds = MoveRows(input.Bonds),
        };
    }
}
