// ThreadSanitizer on Linux reports a race in this program, which has none: every access to the array is inside
// withLock on one Synchronization.Mutex. Its contended path hands the lock over inside the kernel (a PI futex),
// where TSan sees no happens-before edge. Reports on Herald's Mutex-guarded state are of this kind
// (docs/reliability.md, "Sanitizers"); scripts/sanitizers/tsan.supp lists the types checked by hand.
//
//   swiftc -sanitize=thread -g tsan-mutex-false-positive.swift -o /tmp/m && /tmp/m
import Foundation
import Synchronization

final class Box: Sendable {
    let state = Mutex<[Int]>([])
}

let box = Box()
let done = DispatchGroup()
for _ in 0..<4 {
    done.enter()
    Thread {
        for i in 0..<20000 {
            box.state.withLock { $0.append(i) }
            if i % 7 == 0 { _ = box.state.withLock { $0.removeFirst() } }
        }
        done.leave()
    }.start()
}
done.wait()
print(box.state.withLock { $0.count })
