import LessonLensCore

/// Sorts doubles (no NaN) in ascending order, in place: a least-significant-
/// digit radix sort for 64 values or more, an introsort below.
///
/// Why not `sort()`: a summary sorts every metric of every group (18 × ~1,000
/// arrays of a few hundred values on a 1 GB archive). On a few hundred
/// values the standard library's stable merge sort took ~41 ns a value, this
/// file's introsort as much (both wait on mispredicted comparisons), and the
/// radix sort ~24 ns: it compares nothing. Stability buys nothing for
/// numbers: equal values are equal bits, except 0 and -0, which the radix
/// sort puts in that order and the introsort in either (metrics are never -0).
func sortAscending(_ values: UnsafeMutableBufferPointer<Double>) {
    if values.count >= 64 {
        radixSort(values)
    } else {
        sortAscending(values, depthLimit: 2 * (Int.bitWidth - values.count.leadingZeroBitCount))
    }
}

/// LSD radix sort, a byte per pass, of the doubles as unsigned keys that
/// sort in the same order (sign bit flipped for positives, all bits for
/// negatives). One pass counts every byte; the passes where all keys share
/// the byte (common: exponents and trailing mantissa bytes) are skipped.
/// O(n) time for 8 passes at most; scratch of 2n keys and 8 × 256 counters,
/// on the stack when small.
func radixSort(_ values: UnsafeMutableBufferPointer<Double>) {
    let n = values.count
    guard n > 1, let v = values.baseAddress else { return }
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * n) { keys in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8 * 256) { counts in
            var a = keys.baseAddress!, b = keys.baseAddress! + n
            let h = counts.baseAddress!
            h.initialize(repeating: 0, count: 8 * 256)
            var orAll: UInt64 = 0, andAll: UInt64 = ~0
            for i in 0..<n {
                let bits = v[i].bitPattern
                let key = bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | (1 << 63))
                a[i] = key
                orAll |= key
                andAll &= key
                for d in 0..<8 { h[d &* 256 &+ Int(truncatingIfNeeded: (key &>> UInt64(d &* 8)) & 0xFF)] &+= 1 }
            }
            let varying = orAll ^ andAll
            for d in 0..<8 where (varying &>> UInt64(d &* 8)) & 0xFF != 0 {
                let shift = UInt64(d &* 8)
                let start = h + d &* 256
                var sum: UInt32 = 0
                for k in 0..<256 {
                    let c = start[k]
                    start[k] = sum
                    sum &+= c
                }
                for i in 0..<n {
                    let key = a[i]
                    let digit = Int(truncatingIfNeeded: (key &>> shift) & 0xFF)
                    b[Int(start[digit])] = key
                    start[digit] &+= 1
                }
                swap(&a, &b)
            }
            for i in 0..<n {
                let key = a[i]
                v[i] = Double(bitPattern: key >> 63 == 1 ? key ^ (1 << 63) : ~key)
            }
        }
    }
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
