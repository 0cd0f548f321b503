"""Edge cases for the symbol extractor.

def not_a_function():  (inside a docstring)
class NotAClass:
"""
import asyncio


@decorator(
    "def fake(): pass",
)
def decorated(a,
              b=(1,
                 2)):
    s = '''
def inside_string():
    pass
'''
    return s


class Outer(Base, metaclass=Meta):
    x = "class Fake: pass"

    def method(self):
        def helper():
            class Local:
                pass
            return Local
        return helper

    async def amethod(self):
        await asyncio.sleep(0)

    class Inner:
        def deep(self): \
            return 1


async def top_level_async():
    pass

if True:
    def conditional():
        pass
else:
	def tabbed():
		pass

x = [
def_not_a_keyword
    for def_not_a_keyword in ()]
class_ = 1
def after(): return r"\" def no" if class_ else 0
