/// Sorts doubles (no NaN) in ascending order, in place: an introsort
/// (quicksort with a median-of-three pivot, insertion sort for short runs,
/// and the standard library's sort for a range that partitions badly).
///
/// Why not `sort()`: a summary sorts every metric of every group (18 × ~1,000
/// arrays of a few hundred values on a 1 GB archive), and the standard
/// library's stable merge sort took ~6% of the CPU there. Stability buys
/// nothing for numbers: equal values are equal bits, except 0 and -0, whose
/// order among themselves this sort does not keep (metrics are never -0).
///
/// O(n log n) comparisons in the worst case (the fallback bounds the depth),
/// no allocation.
func sortAscending(_ values: UnsafeMutableBufferPointer<Double>) {
    sortAscending(values, depthLimit: 2 * (Int.bitWidth - values.count.leadingZeroBitCount))
}

/// With a given depth limit (tests reach the fallback with a small one).
func sortAscending(_ values: UnsafeMutableBufferPointer<Double>, depthLimit: Int) {
    guard values.count > 1 else { return }
    introsort(values.baseAddress!, 0, values.count - 1, depthLimit: depthLimit)
}

/// Below this many values, insertion sort is faster than partitioning.
private let insertionSortLimit = 24

private func introsort(_ a: UnsafeMutablePointer<Double>, _ low: Int, _ high: Int, depthLimit: Int) {
    var low = low, high = high, depth = depthLimit
    while high - low + 1 > insertionSortLimit {
        if depth == 0 {
            var rest = UnsafeMutableBufferPointer(start: a + low, count: high - low + 1)
            rest.sort()
            return
        }
        depth -= 1
        let pivot = medianOfThree(a, low, low + (high - low) / 2, high)
        // Hoare partition: both scans stop on values equal to the pivot, so
        // runs of equal values (common: counts, whole minutes) split evenly.
        var i = low, j = high
        while i <= j {
            while a[i] < pivot { i += 1 }
            while a[j] > pivot { j -= 1 }
            if i <= j {
                a.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        // Recurse into the smaller side, loop on the larger: O(log n) stack.
        if j - low < high - i {
            if low < j { introsort(a, low, j, depthLimit: depth) }
            low = i
        } else {
            if i < high { introsort(a, i, high, depthLimit: depth) }
            high = j
        }
    }
    insertionSort(a, low, high)
}

@inline(__always)
private func medianOfThree(_ a: UnsafeMutablePointer<Double>, _ x: Int, _ y: Int, _ z: Int) -> Double {
    let p = a[x], q = a[y], r = a[z]
    if p < q {
        if q < r { return q }
        return p < r ? r : p
    } else {
        if p < r { return p }
        return q < r ? r : q
    }
}

private func insertionSort(_ a: UnsafeMutablePointer<Double>, _ low: Int, _ high: Int) {
    guard low < high else { return }
    for k in (low + 1)...high {
        let v = a[k]
        var j = k - 1
        while j >= low && a[j] > v {
            a[j + 1] = a[j]
            j -= 1
        }
        a[j + 1] = v
    }
}

extension UnsafeMutablePointer where Pointee == Double {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
