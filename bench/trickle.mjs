// Opens COUNT sockets to HOST:PORT, each sending the start of a request head and then one byte a
// second without end, ignoring the server's FIN (half-open allowed) as a slowloris client does.
// Prints when the server released them (closed or reset): "released N/COUNT median_s max_s".
// Bounded: gives up after LIMIT seconds (those still open count as not released).
//   node bench/trickle.mjs HOST PORT [COUNT=200] [LIMIT=30]
import {connect} from 'node:net'

const [host = '127.0.0.1', port = '80', count = '200', limit = '30'] = process.argv.slice(2)
const started = Date.now()
const released = []
let open = 0
const sockets = []
for (let i = 0; i < Number(count); i++) {
  const socket = connect({host, port: Number(port), allowHalfOpen: true})
  sockets.push(socket)
  open++
  socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: bench\r\nX-Trickle: '))
  socket.on('data', () => undefined)
  socket.on('error', () => undefined)
  socket.on('close', () => {
    released.push((Date.now() - started) / 1000)
    open--
    if (open === 0) finish()
  })
}
const drip = setInterval(() => {
  for (const socket of sockets) if (!socket.destroyed && socket.writable) socket.write('a')
}, 1000)
const bound = setTimeout(finish, Number(limit) * 1000)

function finish() {
  clearInterval(drip)
  clearTimeout(bound)
  released.sort((a, b) => a - b)
  const median = released.length === 0 ? NaN : released[Math.floor(released.length / 2)]
  const max = released.length === 0 ? NaN : released[released.length - 1]
  console.log(`released ${released.length}/${count} ${median?.toFixed(1)} ${max?.toFixed(1)}`)
  for (const socket of sockets) socket.destroy()
  process.exit(0)
}
