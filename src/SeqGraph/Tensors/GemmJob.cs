namespace SeqGraph.Tensors;

/// <summary>
/// One parallel GEMM call: task t computes a fixed slab of C, split along its larger side in
/// whole micro-tiles. Each task packs its own panels. Threads claim tasks from a counter, so a
/// worker that the OS has not yet scheduled does not hold up the caller, which takes its task.
/// Reused by its calling thread.
/// </summary>
internal sealed unsafe class GemmJob : ParallelJob
{
    private bool _transA, _transB, _byColumns;
    private int _m, _n, _k, _tasks, _units, _unit, _next, _inPlace;
    private float _alpha, _beta;
    private float* _a, _b, _c;
    private nint _lda, _ldb, _ldc;

    public void Set(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda,
        float* b, nint ldb, float beta, float* c, nint ldc, int tasks)
    {
        (_transA, _transB, _m, _n, _k, _alpha, _beta, _tasks) = (transA, transB, m, n, k, alpha, beta, tasks);
        (_lda, _ldb, _ldc) = (lda, ldb, ldc);
        _a = a;
        _b = b;
        _c = c;
        _byColumns = n >= m;
        _unit = _byColumns ? GemmDriver.NR : GemmDriver.MR;
        _units = ((_byColumns ? n : m) + _unit - 1) / _unit;
        _next = 0;
        _inPlace = GemmDriver.InPlaceSetting; // the caller's forced choice (tests) holds on the workers too
    }

    public override void Execute(int worker)
    {
        int t;
        while ((t = Interlocked.Increment(ref _next) - 1) < _tasks) RunTask(t);
    }

    private void RunTask(int t)
    {
        int size = _byColumns ? _n : _m;
        int lo = (int)Math.Min((long)_units * t / _tasks * _unit, size);
        int hi = (int)Math.Min((long)_units * (t + 1) / _tasks * _unit, size);
        if (lo >= hi) return;
        if (_byColumns)
            GemmDriver.Run(_transA, _transB, _k, _alpha, _a, _lda, _b, _ldb, _beta, _c, _ldc, 0, _m, lo, hi, inPlace: _inPlace);
        else
            GemmDriver.Run(_transA, _transB, _k, _alpha, _a, _lda, _b, _ldb, _beta, _c, _ldc, lo, hi, 0, _n, inPlace: _inPlace);
    }
}
