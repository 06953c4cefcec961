using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Veritensor.Node.Tests;

/// <summary>
/// The real <c>veritensor</c> program (veritensor.dll, built next to the tests) run as a child process, so that
/// a test can kill it with SIGKILL. Its stdout is drained continuously; the API address is read from the
/// "listening on" line it prints at start.
/// </summary>
public sealed partial class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private NodeProcess(Process process) => _process = process;

    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<(NodeProcess Process, string Url)> StartAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken
    )
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "veritensor.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.Exited += (_, _) =>
            node._url.TrySetException(
                new InvalidOperationException(
                    "The node exited before it was ready:" + Environment.NewLine + node.Output
                )
            );
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = await node._url.Task.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        return (node, url);
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
            _url.TrySetResult(match.Groups[1].Value);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or power cut of the process.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops a node; returns the exit code once the process has shut down.</summary>
    public async Task<int> TerminateAsync()
    {
        using (
            var kill = Process.Start(
                "kill",
                ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            )
        )
            await kill!.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return _process.ExitCode;
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
