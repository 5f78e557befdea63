// A code sent for this login is remembered with it (the OTP's id), so only that code can pass.
import type { Context } from 'koa';
import { advance } from './advance.ts';
import { attemptOf, loginState } from './state.ts';

export async function codeSent(ctx: Context, otpId: string): Promise<void> {
  const state = loginState(ctx);
  const p = attemptOf(ctx);
  await state.deps.progress.setSmsOtp(state.interaction.uid, otpId);
  state.progress = { ...p, smsOtpId: otpId };
  await advance(ctx);
}
