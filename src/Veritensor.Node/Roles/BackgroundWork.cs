using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;

namespace Veritensor.Node.Roles;

/// <summary>
/// Work a role server starts after answering (audits, following a record into a block): tracked, and cancelled and
/// awaited when the server stops, so nothing outlives its host or runs unobserved.
/// </summary>
internal sealed class BackgroundWork : IHostedService, IDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>How many tasks are running now.</summary>
    public int Count => _running.Count;

    /// <summary>Starts <paramref name="work"/> with a token that is cancelled when the server stops. Its exceptions are its own to handle.</summary>
    public void Start(Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_stopping.IsCancellationRequested)
            return;
        var task = Task.Run(() => work(_stopping.Token), _stopping.Token);
        _running.TryAdd(task, 0);
        task.ContinueWith(
            t => _running.TryRemove(t, out _),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default
        );
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(StopWait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // The work was told to stop; what did not finish in time is abandoned with the process.
        }
    }

    public void Dispose() => _stopping.Dispose();
}
