// Demo only: the current authenticator code for the demo admins' and managers' printed key
// (prisma/seed.ts), for a person trying the demo without an authenticator app at hand.
//   npm run demo:code
import { Secret, TOTP } from "otpauth";

const key = process.env.DEMO_TOTP_KEY ?? "DEMODEMODEMODEMODEMODEMODEMODEMO";
const totp = new TOTP({ secret: Secret.fromBase32(key), algorithm: "SHA1", digits: 6, period: 30 });
const secondsLeft = 30 - (Math.floor(Date.now() / 1000) % 30);
process.stdout.write(`${totp.generate()}  (valid for ${secondsLeft} more seconds, and the 30 after)\n`);
