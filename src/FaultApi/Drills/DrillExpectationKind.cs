namespace FaultApi.Drills;

/// <summary>What a drill waits for on the node.</summary>
public enum DrillExpectationKind
{
    /// <summary><c>condition:&lt;Type&gt;</c>: the node condition becomes True.</summary>
    Condition,

    /// <summary><c>cordon</c>: <c>spec.unschedulable</c> becomes true.</summary>
    Cordon,

    /// <summary><c>taint:&lt;key&gt;</c>: a taint with the key appears.</summary>
    Taint,

    /// <summary><c>drain[:&lt;namespace&gt;]</c>: the non-DaemonSet pods on the node at injection leave it.</summary>
    Drain,

    /// <summary><c>reboot</c>: <c>status.nodeInfo.bootID</c> changes.</summary>
    Reboot,

    /// <summary><c>recover</c>: after the other expectations, the node is schedulable and Ready, the expected taints and conditions gone.</summary>
    Recover,
}
