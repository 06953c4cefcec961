using System.Collections.Concurrent;
using Veritensor.Client;
using Veritensor.Core.Crypto;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// Orders a model's inference nodes for one request by stake, observed latency and current load: score =
/// stake / ((1 + in-flight) · (latency EWMA in ms + 1)). A node that failed recently goes last. Ties break on
/// the hotkey, so the order is deterministic for equal statistics.
/// </summary>
internal sealed class ExecutorRouter(TimeProvider time)
{
    private readonly TimeProvider _time = time;
    private static readonly TimeSpan FailurePenalty = TimeSpan.FromSeconds(10);
    private const double InitialLatencyMs = 5;
    private const double Smoothing = 0.2;
    private readonly ConcurrentDictionary<Address, NodeStatistics> _stats = new();

    internal sealed class NodeStatistics
    {
        public double LatencyMs = InitialLatencyMs;
        public int InFlight;
        public DateTimeOffset LastFailure = DateTimeOffset.MinValue;
    }

    public IReadOnlyList<LedgerNode> Order(IReadOnlyList<LedgerNode> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var now = _time.GetUtcNow();
        return candidates
            .Select(node => (Node: node, Stats: _stats.GetOrAdd(node.Hotkey, _ => new NodeStatistics())))
            .OrderBy(c => c.Stats.LastFailure + FailurePenalty > now)
            .ThenByDescending(c => Score(c.Node, c.Stats))
            .ThenBy(c => c.Node.Hotkey.ToString(), StringComparer.Ordinal)
            .Select(c => c.Node)
            .ToArray();
    }

    /// <summary>Counts a call to <paramref name="hotkey"/> as in flight until the returned handle is disposed with its outcome.</summary>
    public Attempt Begin(Address hotkey)
    {
        var stats = _stats.GetOrAdd(hotkey, _ => new NodeStatistics());
        Interlocked.Increment(ref stats.InFlight);
        return new Attempt(this, stats, _time.GetTimestamp());
    }

    private static double Score(LedgerNode node, NodeStatistics stats) =>
        (double)node.Stake.BaseUnits
        / ((1 + Volatile.Read(ref stats.InFlight)) * (Volatile.Read(ref stats.LatencyMs) + 1));

    /// <summary>One call in flight; <see cref="Succeeded"/> or <see cref="Failed"/> records its outcome.</summary>
    public sealed class Attempt
    {
        private readonly ExecutorRouter _router;
        private readonly NodeStatistics _stats;
        private readonly long _started;
        private int _done;

        internal Attempt(ExecutorRouter router, NodeStatistics stats, long started)
        {
            _router = router;
            _stats = stats;
            _started = started;
        }

        public void Succeeded()
        {
            if (!Finish())
                return;
            var elapsed = _router._time.GetElapsedTime(_started).TotalMilliseconds;
            lock (_stats)
                _stats.LatencyMs += Smoothing * (elapsed - _stats.LatencyMs);
        }

        public void Failed()
        {
            if (Finish())
                _stats.LastFailure = _router._time.GetUtcNow();
        }

        private bool Finish()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1)
                return false;
            Interlocked.Decrement(ref _stats.InFlight);
            return true;
        }
    }
}
