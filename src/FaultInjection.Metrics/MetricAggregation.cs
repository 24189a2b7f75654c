namespace FaultInjection.Metrics;

/// <summary>How an instrument's measurements make a series' value, and which Prometheus type it is exported as.</summary>
public enum MetricAggregation
{
    /// <summary><c>Counter&lt;T&gt;</c>: measurements added; a Prometheus counter (<c>_total</c>).</summary>
    Counter,

    /// <summary><c>ObservableCounter&lt;T&gt;</c>: each observation is the running total; a Prometheus counter (<c>_total</c>).</summary>
    ObservedCounter,

    /// <summary><c>UpDownCounter&lt;T&gt;</c>: measurements added, up or down; a Prometheus gauge.</summary>
    UpDownCounter,

    /// <summary><c>ObservableGauge&lt;T&gt;</c>, <c>ObservableUpDownCounter&lt;T&gt;</c>, <c>Gauge&lt;T&gt;</c>: the last value; a Prometheus gauge.</summary>
    LastValue,

    /// <summary><c>Histogram&lt;T&gt;</c>: counts per bucket, sum and count; a Prometheus histogram.</summary>
    Histogram,
}
