using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Inference.Execution;

/// <summary>
/// Runs ONNX models with fixed, reproducible settings. A model is loaded once per content id (the SHA-256 of
/// its bytes) and its session reused; <see cref="Run"/> may be called from many threads at once (ORT sessions
/// are safe for concurrent runs). A run is stopped after <see cref="ExecutionSettings.MaxRunTime"/>, and at most
/// <see cref="ExecutionSettings.MaxLoadedModels"/> stay loaded (the least recently used idle one is unloaded first).
/// </summary>
public sealed class OnnxExecutor : IDisposable
{
    private readonly ConcurrentDictionary<Hash256, Lazy<LoadedModel>> _models = new();
    private readonly ExecutionSettings _settings;
    private long _uses; // a use counter, not a clock: least recently used is exact, whatever the timer resolution
    private bool _disposed;

    public OnnxExecutor(ExecutionSettings? settings = null)
    {
        _settings = settings ?? ExecutionSettings.Default;
        Profile = ExecutionProfile.Current(_settings);
    }

    public ExecutionSettings Settings => _settings;

    /// <summary>The profile outputs of this executor were produced under; goes into receipts.</summary>
    public ExecutionProfile Profile { get; }

    /// <summary>
    /// Loads a model under its content id (created once; later calls with the same id reuse the session) and
    /// returns its signature. Throws <see cref="ArgumentException"/> when the bytes do not hash to the id, and
    /// <see cref="ModelLoadException"/> when they are not a loadable model.
    /// </summary>
    public ModelSignature Load(Hash256 contentId, byte[] modelBytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(modelBytes);
        if (_models.TryGetValue(contentId, out var existing))
            return Get(contentId, existing).Signature;
        var actual = Hash256.Compute(modelBytes);
        if (actual != contentId)
            throw new ArgumentException(
                $"model bytes hash to {actual}, not to content id {contentId}",
                nameof(modelBytes)
            );
        var lazy = _models.GetOrAdd(contentId, id => new Lazy<LoadedModel>(
            () => LoadedModel.Open(modelBytes, _settings, $"model {id}"),
            LazyThreadSafetyMode.ExecutionAndPublication
        ));
        var loaded = Get(contentId, lazy);
        loaded.Touch(Interlocked.Increment(ref _uses));
        EvictOverCapacity();
        return loaded.Signature;
    }

    /// <summary>Loads a model file; returns its content id.</summary>
    public Hash256 LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ModelLoadException($"model file '{path}' does not exist");
        var bytes = File.ReadAllBytes(path);
        var id = Hash256.Compute(bytes);
        var lazy = _models.GetOrAdd(id, _ => new Lazy<LoadedModel>(
            () => LoadedModel.Open(bytes, _settings, path),
            LazyThreadSafetyMode.ExecutionAndPublication
        ));
        Get(id, lazy).Touch(Interlocked.Increment(ref _uses));
        EvictOverCapacity();
        return id;
    }

    public bool IsLoaded(Hash256 contentId) => _models.TryGetValue(contentId, out var lazy) && lazy.IsValueCreated;

    public ModelSignature Signature(Hash256 contentId) => Model(contentId).Signature;

    /// <summary>
    /// Validates the inputs against the signature (<see cref="InputValidationException"/> on a mismatch), runs the
    /// model and returns every output in the model's output order.
    /// </summary>
    public IReadOnlyList<NamedTensor> Run(Hash256 contentId, IReadOnlyList<NamedTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var model = Model(contentId);
        ModelInputValidator.Validate(model.Signature, inputs, _settings.MaxInputBytes);
        if (!model.TryAcquire(Interlocked.Increment(ref _uses)))
            throw new KeyNotFoundException($"model {contentId} was unloaded; load it again");
        try
        {
            return RunLoaded(model, inputs);
        }
        finally
        {
            model.Release();
        }
    }

    private IReadOnlyList<NamedTensor> RunLoaded(LoadedModel model, IReadOnlyList<NamedTensor> inputs)
    {
        var names = inputs.Select(i => i.Name).ToArray();
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs)
                values.Add(OrtValueConversion.ToOrtValue(input.Tensor));
            var outputNames = model.Signature.Outputs.Select(o => o.Name).ToArray();
            using var runOptions = new RunOptions();
            using var deadline = new RunDeadline(runOptions, _settings.MaxRunTime);
            using var outputs = RunSession(
                model.Session,
                runOptions,
                names,
                values,
                outputNames,
                deadline,
                _settings.MaxModelMemoryBytes
            );
            return outputs
                .Select(
                    (value, i) =>
                        new NamedTensor(outputNames[i], OrtValueConversion.FromOrtValue(value, outputNames[i]))
                )
                .ToArray();
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var lazy in _models.Values)
        {
            if (lazy.IsValueCreated)
                lazy.Value.Dispose();
        }
        _models.Clear();
    }

    private static IDisposableReadOnlyCollection<OrtValue> RunSession(
        InferenceSession session,
        RunOptions options,
        string[] names,
        List<OrtValue> values,
        string[] outputNames,
        RunDeadline deadline,
        uint? memoryCeiling
    )
    {
        try
        {
            return session.Run(options, names, values, outputNames);
        }
        catch (OnnxRuntimeException e) when (deadline.Expired)
        {
            throw new InferenceException(
                $"the model ran longer than the limit of {deadline.Limit.TotalSeconds:0.###} s",
                e
            );
        }
        catch (OnnxRuntimeException e) when (memoryCeiling is { } ceiling && IsOutOfArena(e))
        {
            throw new InferenceException(
                $"the model needs more memory than the node's limit of {ceiling} bytes (Role:MaxModelMemoryBytes)",
                e
            );
        }
        catch (OnnxRuntimeException e)
        {
            // Inputs passed validation, so this is the model failing on these values (e.g. a shape the graph rejects).
            throw new InferenceException($"the model failed on these inputs: {e.Message.Split('\n')[0].Trim()}", e);
        }
    }

    // ORT's arena reports a refused allocation in its message only; there is no error code of its own.
    private static bool IsOutOfArena(OnnxRuntimeException e) =>
        e.Message.Contains("Available memory of", StringComparison.Ordinal);

    private LoadedModel Model(Hash256 contentId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _models.TryGetValue(contentId, out var lazy)
            ? Get(contentId, lazy)
            : throw new KeyNotFoundException($"model {contentId} is not loaded");
    }

    private LoadedModel Get(Hash256 contentId, Lazy<LoadedModel> lazy)
    {
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load must not stay cached: the next Load with good bytes should try again.
            _models.TryRemove(new KeyValuePair<Hash256, Lazy<LoadedModel>>(contentId, lazy));
            throw;
        }
    }

    /// <summary>Unloads least recently used idle models while more than <see cref="ExecutionSettings.MaxLoadedModels"/> are loaded.</summary>
    private void EvictOverCapacity()
    {
        while (_models.Count > _settings.MaxLoadedModels)
        {
            var idle = _models
                .Where(e => e.Value.IsValueCreated)
                .OrderBy(e => e.Value.Value.LastUsed)
                .FirstOrDefault(e => e.Value.Value.TryRetire());
            if (idle.Value is null)
                return; // every loaded model is running; the next load tries again
            _models.TryRemove(idle);
            idle.Value.Value.Dispose();
        }
    }

    /// <summary>Tells ONNX Runtime to stop a run once <see cref="Limit"/> has passed.</summary>
    private sealed class RunDeadline : IDisposable
    {
        private readonly Timer _timer;
        private readonly RunOptions _options;
        private readonly object _gate = new();
        private bool _done;

        public RunDeadline(RunOptions options, TimeSpan limit)
        {
            _options = options;
            Limit = limit;
            _timer = new Timer(static state => ((RunDeadline)state!).Fire(), this, limit, Timeout.InfiniteTimeSpan);
        }

        public TimeSpan Limit { get; }
        public bool Expired { get; private set; }

        private void Fire()
        {
            lock (_gate)
            {
                if (_done)
                    return;
                Expired = true;
                _options.Terminate = true;
            }
        }

        public void Dispose()
        {
            lock (_gate)
                _done = true;
            _timer.Dispose();
        }
    }

    private sealed class LoadedModel(InferenceSession session, ModelSignature signature) : IDisposable
    {
        private readonly object _gate = new();
        private int _inFlight;
        private bool _retired;

        public InferenceSession Session { get; } = session;
        public ModelSignature Signature { get; } = signature;

        /// <summary>The executor's use count at this model's last load or run.</summary>
        public long LastUsed { get; private set; }

        public void Touch(long use)
        {
            lock (_gate)
                LastUsed = Math.Max(LastUsed, use);
        }

        /// <summary>Marks a run as using the session; false once the model was unloaded.</summary>
        public bool TryAcquire(long use)
        {
            lock (_gate)
            {
                if (_retired)
                    return false;
                _inFlight++;
                LastUsed = Math.Max(LastUsed, use);
                return true;
            }
        }

        public void Release()
        {
            lock (_gate)
                _inFlight--;
        }

        /// <summary>Retires the model when no run uses it, so it may be disposed; false while one does.</summary>
        public bool TryRetire()
        {
            lock (_gate)
            {
                if (_inFlight > 0)
                    return false;
                _retired = true;
                return true;
            }
        }

        public static LoadedModel Open(byte[] bytes, ExecutionSettings settings, string source)
        {
            using var options = settings.CreateSessionOptions();
            var session = OnnxModelInspector.OpenSession(bytes, options, source);
            try
            {
                return new LoadedModel(session, OnnxModelInspector.SignatureOf(session, source));
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        public void Dispose() => Session.Dispose();
    }
}
